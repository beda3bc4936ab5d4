"""What every verb of the command line shares: its exit codes, reaching the daemons
(never starting the private one), one look at every download, the targets a verb
names (GIDs or their prefixes, ``--all``, ``--filter``, ``--status``), and errors
said in one line.

Exit codes (README, "From the shell"): 0 done; 1 an action failed (what failed is on
stderr); 2 a usage error; 3 no daemon reachable (which address, and why); 124 ``wait``
timed out; 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from aria2_top.cli.completion import gid_argument
from aria2_top.cli.options import settings_from
from aria2_top.config.errors import ConfigError
from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import Endpoint, NoDaemon, resolve_endpoints
from aria2_top.daemon.process import DaemonError
from aria2_top.live.poll_state import PollStatus
from aria2_top.live.poller import Poller
from aria2_top.model.downloads import Download, Snapshot, Status
from aria2_top.model.masking import escaped
from aria2_top.model.query import matcher
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import (
    Aria2AuthError,
    Aria2ConnectionError,
    Aria2Error,
    Aria2TimeoutError,
)
from aria2_top.rpc.wire import redact_url

DONE = 0
FAILED = 1
USAGE = 2
NO_DAEMON = 3
TIMED_OUT = 124
INTERRUPTED = 130


class VerbError(Exception):
    """A verb stops: ``message`` is said on stderr, ``code`` is the exit status."""

    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass(slots=True)
class Daemon:
    """One daemon a verb talks to."""

    name: str
    endpoint: Endpoint
    client: Aria2Client

    @property
    def address(self) -> str:
        return redact_url(self.endpoint.url)


def say(verb: str, text: str) -> None:
    """One line on stderr, ``aria2-top VERB: text`` (control characters escaped)."""
    print(f"aria2-top {verb}: {escaped(text)}", file=sys.stderr, flush=True)


def run_verb(
    verb: str, args: argparse.Namespace, work: Callable[[Settings], Coroutine[None, None, int]]
) -> int:
    """Run ``work`` with the settings of ``args``; every error ends in one line."""
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        say(verb, str(exc))
        return USAGE
    for warning in settings.warnings:
        say(verb, f"warning: {warning}")
    try:
        return asyncio.run(work(settings))
    except VerbError as exc:
        say(verb, str(exc))
        return exc.code
    except NoDaemon as exc:
        say(verb, str(exc))
        return NO_DAEMON
    except (DaemonError, ConfigError) as exc:
        say(verb, str(exc))
        return FAILED
    except KeyboardInterrupt:
        say(verb, "interrupted")
        return INTERRUPTED


@asynccontextmanager
async def daemons(settings: Settings) -> AsyncIterator[list[Daemon]]:
    """A client for each daemon of the settings (``--daemon`` picks some of several);
    the private daemon only while it runs."""
    endpoints = await resolve_endpoints(settings, lease=False, start=False)
    async with AsyncExitStack() as stack:
        yield [
            Daemon(e.label, e, await stack.enter_async_context(e.client(settings)))
            for e in endpoints
        ]


def unreachable(daemon: Daemon, exc: Aria2Error) -> VerbError:
    """The one line (and exit status) for a daemon that did not answer as it should."""
    if isinstance(exc, Aria2AuthError):
        return VerbError(f"{daemon.address}: wrong secret (aria2 refused it)", NO_DAEMON)
    if isinstance(exc, Aria2TimeoutError):
        return VerbError(f"{daemon.address}: no answer in time ({exc})", NO_DAEMON)
    if isinstance(exc, Aria2ConnectionError):
        return VerbError(f"no daemon reachable at {daemon.address}: {exc}", NO_DAEMON)
    return VerbError(f"{daemon.address}: {exc}", FAILED)


async def look(daemon: Daemon) -> Snapshot:
    """Every download of ``daemon`` (past aria2's pages of 1,000), as the app's poller
    reads them: checked, named, in aria2's order."""

    def ignore(_: Snapshot | PollStatus) -> None:
        return None

    poller = Poller(daemon.client, on_snapshot=ignore, on_status=ignore, daemon=daemon.name)
    try:
        return await poller.tick()
    except Aria2Error as exc:
        raise unreachable(daemon, exc) from exc


async def look_each(targets: Sequence[Daemon]) -> list[tuple[Daemon, Snapshot]]:
    """Each daemon with its snapshot (asked of all at once)."""
    shots = await asyncio.gather(*(look(d) for d in targets))
    return list(zip(targets, shots, strict=True))


async def look_all(targets: Sequence[Daemon]) -> list[Download]:
    """Every download of every daemon, in order (one daemon after the other)."""
    return [d for _, shot in await look_each(targets) for d in shot.downloads]


# -- which downloads a verb is for -------------------------------------------------------

STATUS_NAMES = tuple(status.value for status in Status if status is not Status.UNKNOWN)


def add_target_options(parser: argparse.ArgumentParser, *, gids_required: bool = False) -> None:
    """GIDs (or prefixes), ``--all``, ``--filter WORDS``, ``--status S``."""
    gid_argument(
        parser,
        "gids",
        "+" if gids_required else "*",
        "a download's GID, or the start of it the table shows (any unique prefix)",
    )
    if not gids_required:
        parser.add_argument("--all", action="store_true", help="every download")
        parser.add_argument(
            "--filter",
            metavar="WORDS",
            help="the downloads whose name has every word (host:NAME: of that daemon), "
            "as \\ filters in the dashboard",
        )
    add_status_option(parser)


def add_status_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status",
        metavar="S",
        action="append",
        help=f"only downloads in this state ({', '.join(STATUS_NAMES)}; repeat or comma-separate)",
    )


def statuses_of(args: argparse.Namespace) -> frozenset[str] | None:
    """The states ``--status`` names (None: any); an unknown one is a usage error."""
    given = [
        part.strip().lower()
        for text in getattr(args, "status", None) or ()
        for part in text.split(",")
    ]
    wrong = [word for word in given if word and word not in STATUS_NAMES]
    if wrong:
        raise VerbError(f"unknown status {wrong[0]!r} (one of: {', '.join(STATUS_NAMES)})", USAGE)
    return frozenset(word for word in given if word) or None


def by_gid(downloads: Sequence[Download], word: str) -> Download:
    """The download whose GID is ``word`` or starts with it; an unknown or ambiguous
    one stops the verb (nothing is done)."""
    wanted = word.strip().lower()
    if not wanted or any(c not in "0123456789abcdef" for c in wanted):
        raise VerbError(f"{word!r} is not a GID (16 hex digits, or the start of one)")
    exact = [d for d in downloads if d.gid.lower() == wanted]
    found = exact or [d for d in downloads if d.gid.lower().startswith(wanted)]
    if not found:
        raise VerbError(f"no download with a GID starting {wanted!r}: nothing done")
    if len(found) > 1:
        some = ", ".join(f"{d.gid} ({d.name})" for d in found[:3])
        raise VerbError(f"{wanted!r} is the start of {len(found)} GIDs ({some}…): nothing done")
    return found[0]


def pick(
    downloads: Sequence[Download],
    args: argparse.Namespace,
    applies: Callable[[Download], bool] | None = None,
) -> list[Download]:
    """The downloads ``args`` name: by GID, ``--all`` or ``--filter``, then ``--status``.
    ``--all`` and ``--filter`` take only those the verb ``applies`` to (``pause --all``
    pauses what runs and leaves the finished alone); a GID named is always taken (and
    the verb says why it cannot act on it)."""
    everything = getattr(args, "all", False)
    words = getattr(args, "filter", None)
    if sum((bool(args.gids), everything, words is not None)) != 1:
        raise VerbError("name the downloads: GIDs, --all or --filter WORDS (one of them)", USAGE)
    if args.gids:
        chosen: list[Download] = []
        for word in args.gids:
            download = by_gid(downloads, word)
            if download not in chosen:
                chosen.append(download)
    else:
        test = None if everything else matcher(words or "")
        chosen = [
            d for d in downloads if (test is None or test(d)) and (applies is None or applies(d))
        ]
    states = statuses_of(args)
    if states is not None:
        chosen = [d for d in chosen if d.status.value in states]
    return chosen
