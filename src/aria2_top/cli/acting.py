"""The verbs that act on downloads, with the dashboard's own actions (ops/): ``pause``,
``resume``, ``remove`` (``--delete-files``), ``retry``, ``purge``, ``verify``, ``move``.

Each says what it did on stdout and what failed on stderr, one line each; it exits 1
when anything failed (see :mod:`aria2_top.cli.shell` for the other codes)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Iterator
from functools import partial

from aria2_top.cli.completion import gid_argument
from aria2_top.cli.shell import (
    DONE,
    FAILED,
    USAGE,
    Daemon,
    VerbError,
    add_target_options,
    daemons,
    look_each,
    pick,
    run_verb,
    say,
    unreachable,
)
from aria2_top.config.settings import Settings
from aria2_top.live.fleet import by_daemon
from aria2_top.model.availability import Action, refusal
from aria2_top.model.downloads import RUNNING, STOPPED, Download, Snapshot, Status
from aria2_top.model.format import plural, safe_text
from aria2_top.ops import actions
from aria2_top.ops.local_files import DeletionPlan
from aria2_top.ops.readd import Follow
from aria2_top.ops.removal import CannotTell, held_paths, plan_removal, remove_with_data
from aria2_top.ops.unfinished import Unfinished
from aria2_top.ops.verify import Verdict, Verifying, pause_again, start_verify, verdict
from aria2_top.rpc.errors import Aria2Error
from aria2_top.storage.history_file import DownloadHistory, history_path
from aria2_top.ui import wording

CHECK_POLL = 0.5
"""Seconds between looks at a check under way (verify)."""
MOVES = ("top", "bottom", "up", "down")
CHECK_KEYS = ["status", "verifyIntegrityPending", "verifiedLength", "bitfield", "numPieces"]

Act = Callable[[Daemon, list[Download]], Awaitable[actions.ActionResult]]


class Tally:
    """What a verb did, said as it goes; whether anything failed."""

    def __init__(self, verb: str, fleet: bool) -> None:
        self.verb = verb
        self.fleet = fleet
        self.failed = False

    def done(self, daemon: str, text: str) -> None:
        print((f"{daemon}: " if self.fleet else "") + safe_text(text), flush=True)

    def error(self, daemon: str, text: str) -> None:
        self.failed = True
        say(self.verb, (f"{daemon}: " if self.fleet else "") + text)

    def result(self, daemon: str, result: actions.ActionResult, verb: str) -> None:
        for error in result.errors:
            self.error(daemon, error)
        if result.done:
            self.done(daemon, f"{verb} {plural(len(result.done), 'download')}")

    @property
    def code(self) -> int:
        return FAILED if self.failed else DONE


async def _each(
    verb: str,
    settings: Settings,
    args: argparse.Namespace,
    act: Callable[[Tally, Daemon, Snapshot, list[Download]], Awaitable[None]],
    applies: Callable[[Download], bool] | None = None,
) -> int:
    """Pick the targets among every daemon's downloads (see :func:`pick` for
    ``applies``), then ``act`` per daemon."""
    async with daemons(settings) as reached:
        looks = await look_each(reached)
        everything = [d for _, shot in looks for d in shot.downloads]
        targets = pick(everything, args, applies)
        tally = Tally(verb, len(reached) > 1)
        if not targets:
            matching = len(pick(everything, args)) if applies is not None else 0
            why = (
                f"{matching} match, none in a state {verb} acts on"
                if matching
                else "no download matches"
            )
            say(verb, f"{why}: nothing done")
            return DONE
        groups = by_daemon(targets)
        for daemon, shot in looks:
            if daemon.name in groups:
                try:
                    await act(tally, daemon, shot, groups[daemon.name])
                except Aria2Error as exc:
                    raise unreachable(daemon, exc) from exc
        return tally.code


def _simple(
    verb: str, run: Act, said: str, applies: Callable[[Download], bool]
) -> Callable[[argparse.Namespace], int]:
    """A verb that runs one action per daemon and says its result."""

    def main(args: argparse.Namespace) -> int:
        async def act(tally: Tally, daemon: Daemon, _: Snapshot, group: list[Download]) -> None:
            tally.result(daemon.name, await run(daemon, group), said)

        return run_verb(verb, args, lambda settings: _each(verb, settings, args, act, applies))

    return main


def _pausable(download: Download) -> bool:
    return download.status in RUNNING or download.status is Status.WAITING


pause_main = _simple("pause", lambda d, group: actions.pause(d.client, group), "paused", _pausable)
resume_main = _simple(
    "resume",
    lambda d, group: actions.resume(d.client, group),
    "resumed",
    lambda download: download.status is Status.PAUSED,
)


# -- remove ----------------------------------------------------------------------------


def configure_remove(parser: argparse.ArgumentParser) -> None:
    add_target_options(parser)
    parser.add_argument(
        "--delete-files",
        action="store_true",
        help="also delete the files each download wrote (only on a daemon whose files are "
        "on this machine; asks first, unless --yes)",
    )
    parser.add_argument("--yes", action="store_true", help="delete without asking")


def remove_main(args: argparse.Namespace) -> int:
    if args.yes and not args.delete_files:
        say("remove", "--yes goes with --delete-files")
        return USAGE
    ask = args.delete_files and not args.yes
    if ask and not sys.stdin.isatty():
        say("remove", "--delete-files asks first: on no terminal, add --yes to delete")
        return USAGE

    async def remove(tally: Tally, daemon: Daemon, _: Snapshot, group: list[Download]) -> None:
        tally.result(daemon.name, await actions.remove(daemon.client, group), "removed")

    async def with_data(
        tally: Tally, daemon: Daemon, shot: Snapshot, group: list[Download]
    ) -> None:
        await _remove_with_data(tally, daemon, shot, group, ask=ask)

    act = with_data if args.delete_files else remove
    return run_verb("remove", args, lambda settings: _each("remove", settings, args, act))


async def _remove_with_data(
    tally: Tally, daemon: Daemon, shot: Snapshot, group: list[Download], *, ask: bool
) -> None:
    """Delete only what each download wrote (as F9's d does): the plan is said, and
    with ``ask`` asked about, before anything goes."""
    if not daemon.endpoint.keeps_files_here(shot.stat.download_dir):
        raise VerbError(wording.not_here([daemon.name], "Deleting files", "Nothing removed."))
    names = {d.gid: d.name for d in shot.downloads}
    try:
        held = await held_paths(daemon.client, names, {d.gid for d in group})
    except CannotTell as exc:
        raise VerbError(f"cannot look at the files: {exc}: nothing removed") from exc
    plans = await plan_removal(daemon.client, group, held)
    known: list[DeletionPlan] = [p for p in plans.values() if p is not None]
    summary, paths, refused = wording.deletion_summary(known)
    lines = [summary.removeprefix("d "), *(f"  {p}" for p in paths), refused]
    for line in filter(None, [*lines, *wording.kept_lines(known)]):
        print(line, file=sys.stderr)
    if ask:
        question = f"remove {plural(len(group), 'download')} and delete these files? [y/N] "
        answer = await asyncio.to_thread(input, question)
        if answer.strip().lower() not in ("y", "yes"):
            raise VerbError("nothing removed")
    outcome = await remove_with_data(daemon.client, group, plans)
    for error in outcome.errors:
        tally.error(daemon.name, error)
    if outcome.removed:
        tally.done(daemon.name, wording.removed_with_data(outcome))


# -- retry, purge ------------------------------------------------------------------------


def configure_retry(parser: argparse.ArgumentParser) -> None:
    add_target_options(parser)
    parser.add_argument("--top", action="store_true", help="at the top of the queue")


def retry_main(args: argparse.Namespace) -> int:
    async def work(settings: Settings) -> int:
        with history_of(settings) as history:

            async def act(
                tally: Tally, daemon: Daemon, shot: Snapshot, group: list[Download]
            ) -> None:
                here = daemon.endpoint.keeps_files_here(shot.stat.download_dir)
                result = await actions.retry(daemon.client, group, top=args.top, files_here=here)
                tally.result(daemon.name, result, "retried")
                for old, new_gid in result.readded:
                    if history is not None:  # one record that follows it, as in the app
                        history.follow(old, new_gid, what="retry")
                for gid in result.new_gids:
                    tally.done(daemon.name, f"new GID {gid}")

            return await _each("retry", settings, args, act, failed)

    def failed(download: Download) -> bool:
        return download.status is Status.ERROR

    return run_verb("retry", args, work)


@contextlib.contextmanager
def history_of(settings: Settings) -> Iterator[DownloadHistory | None]:
    """The history file (None when it is off), so that a download a verb adds again
    keeps its one record, as in the app (see ``model/lineage.py``)."""
    if not settings.history:
        yield None
        return
    history = DownloadHistory(history_path(settings.data_dir), settings.history_max)
    try:
        yield history
    finally:
        history.close()


def purge_main(args: argparse.Namespace) -> int:
    """Every result (none named), or the results of the downloads named."""
    named = bool(args.gids or args.all or args.filter is not None)

    async def everything(settings: Settings) -> int:
        async with daemons(settings) as reached:
            for daemon, shot in await look_each(reached):
                count = sum(1 for d in shot.downloads if d.status in STOPPED)
                await actions.purge(daemon.client)
                where = f"{daemon.name}: " if len(reached) > 1 else ""
                print(f"{where}cleared {plural(count, 'result')}")
        return DONE

    async def act(tally: Tally, daemon: Daemon, _: Snapshot, group: list[Download]) -> None:
        stopped = [d for d in group if d.status in STOPPED]
        for download in group:
            if download not in stopped:
                tally.error(daemon.name, f"{safe_text(download.name)} has not ended: kept")
        if stopped:
            result = await actions.remove(daemon.client, stopped)
            tally.result(daemon.name, result, "cleared the results of")

    if not named:
        return run_verb("purge", args, everything)

    def ended(download: Download) -> bool:
        return download.status in STOPPED

    return run_verb("purge", args, lambda settings: _each("purge", settings, args, act, ended))


# -- verify ----------------------------------------------------------------------------


def verify_main(args: argparse.Namespace) -> int:
    """Have aria2 check each torrent against its hashes (the download is added again
    for it, as V does), wait for the check and say what it found."""

    async def work(settings: Settings) -> int:
        with history_of(settings) as history:
            follow = None if history is None else partial(history.follow, what="verify")
            return await checked_all(settings, follow)

    async def checked_all(settings: Settings, follow: Follow | None) -> int:
        async def act(tally: Tally, daemon: Daemon, shot: Snapshot, group: list[Download]) -> None:
            if not daemon.endpoint.keeps_files_here(shot.stat.download_dir):
                tally.error(daemon.name, wording.not_here([daemon.name], "Verifying"))
                return
            checks = []
            for download in group:
                started = await Unfinished().run(
                    start_verify(
                        daemon.client, download, data_dir=settings.data_dir, follow=follow
                    ),
                    f"verifying {safe_text(download.name)}",
                    _outcome_words,
                )
                if isinstance(started, str):
                    tally.error(daemon.name, started)
                    continue
                checks.append(started)
                tally.done(daemon.name, f"verifying {started.name} (new GID {started.gid})")
            for check in checks:
                found = await _checked(daemon, check)
                (tally.error if found.bad else tally.done)(daemon.name, found.words)

        def checkable(download: Download) -> bool:
            return refusal(Action.VERIFY, download) is None

        return await _each("verify", settings, args, act, checkable)

    return run_verb("verify", args, work)


def _outcome_words(outcome: Verifying | str) -> str:
    return outcome if isinstance(outcome, str) else f"{outcome.name}: added back; aria2 checks it"


async def _checked(daemon: Daemon, check: Verifying) -> Verdict:
    """What the check found, once aria2 is done with it (paused again if it was)."""
    while True:
        status = await daemon.client.tell_status(check.gid, CHECK_KEYS)
        checking = status.get("verifyIntegrityPending") == "true" or "verifiedLength" in status
        if not checking:
            break
        await asyncio.sleep(CHECK_POLL)
    found = verdict(check, status.get("bitfield"), status.get("numPieces"))
    if check.pause_after:
        await pause_again(daemon.client, check.gid, check.position)
        found = found._replace(words=found.words + "; paused again, as it was")
    return found


# -- move ----------------------------------------------------------------------------------


def configure_move(parser: argparse.ArgumentParser) -> None:
    gid_argument(parser, "gids", "+", "the downloads to move (GIDs or their start)")
    parser.add_argument(
        "where", metavar="top|bottom|up|down|N", help="where in the queue (N: place, 0 the top)"
    )


def move_main(args: argparse.Namespace) -> int:
    where = args.where.lower()
    if where not in MOVES and not where.isdigit():
        say("move", f"{args.where!r}: top, bottom, up, down or a place in the queue (0: top)")
        return USAGE

    async def act(tally: Tally, daemon: Daemon, _: Snapshot, group: list[Download]) -> None:
        result = await actions.move(daemon.client, group, where)
        tally.result(daemon.name, result, f"moved ({where})")

    return run_verb("move", args, lambda settings: _each("move", settings, args, act))
