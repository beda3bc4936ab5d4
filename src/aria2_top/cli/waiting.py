"""``aria2-top wait GID…``: block until each download has ended. Exit 0 when all
finished (a torrent once its data is complete, seeding or not), 1 when one failed or
was removed (its error on stderr), 124 when ``--timeout`` came first. A progress line
on a terminal (stderr), nothing on a pipe."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Mapping

from aria2_top.cli.completion import gid_argument
from aria2_top.cli.shell import (
    DONE,
    FAILED,
    TIMED_OUT,
    Daemon,
    by_gid,
    daemons,
    look_all,
    run_verb,
    say,
    unreachable,
)
from aria2_top.config.settings import Settings
from aria2_top.model import fields
from aria2_top.model.aria2_codes import describe_error
from aria2_top.model.downloads import Download
from aria2_top.model.format import percent, safe_text
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2Error, Aria2RpcError

POLL = 0.5
"""Seconds between looks."""
GONE = "gone"
"""What a download aria2 no longer knows is taken for."""
WAIT_KEYS = [
    "status",
    "totalLength",
    "completedLength",
    "errorCode",
    "errorMessage",
    "seeder",
    "infoHash",
]


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def configure_wait(parser: argparse.ArgumentParser) -> None:
    gid_argument(parser, "gids", "+", "the downloads to wait for (GIDs or their start)")
    parser.add_argument(
        "--timeout", type=_seconds, metavar="S", help="give up after S seconds (exit 124)"
    )


def wait_main(args: argparse.Namespace) -> int:
    return run_verb("wait", args, lambda settings: _wait(settings, args))


def ended(status: Mapping[str, object]) -> tuple[bool, str | None]:
    """(whether it has ended, why it failed: None when it finished)."""
    state = fields.text(status.get("status"), 16)
    total = fields.count(status.get("totalLength"))
    done = fields.count(status.get("completedLength"))
    if state == "complete" or (status.get("seeder") == "true" and total and done == total):
        return True, None
    if state == "error":
        code = fields.text(status.get("errorCode"), 8) or ""
        message = fields.text(status.get("errorMessage")) or ""
        return True, describe_error(code, message, torrent="infoHash" in status)
    if state == "removed":
        return True, "it was removed"
    if state == GONE:
        return True, "aria2 no longer knows it (removed and cleared)"
    return False, None


async def _wait(settings: Settings, args: argparse.Namespace) -> int:
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    progress = sys.stderr.isatty()
    async with daemons(settings) as reached:
        downloads = await look_all(reached)
        waiting: dict[str, Download] = {}
        for word in args.gids:
            download = by_gid(downloads, word)
            waiting[download.gid] = download
        failed = False
        while waiting:
            shares: list[float] = []
            for daemon in reached:
                mine = [d for d in waiting.values() if d.daemon == daemon.name]
                if not mine:
                    continue
                for download, status in zip(mine, await _statuses(daemon, mine), strict=True):
                    over, why = ended(status)
                    if over:
                        del waiting[download.gid]
                        failed = failed or why is not None
                        _clear(progress)
                        name = safe_text(download.name)
                        if why is None:
                            print(f"{download.gid} finished: {name}", flush=True)
                        else:
                            say("wait", f"{download.gid} {name}: {why}")
                    else:
                        total = fields.count(status.get("totalLength")) or 0
                        done = fields.count(status.get("completedLength")) or 0
                        shares.append(done / total if total else 0.0)
            if not waiting:
                break
            if deadline is not None and time.monotonic() >= deadline:
                _clear(progress)
                names = ", ".join(d.gid for d in waiting.values())
                say("wait", f"timed out after {args.timeout:g} s; not finished: {names}")
                return TIMED_OUT
            if progress and shares:
                mean = sum(shares) / len(shares)
                sys.stderr.write(f"\r\033[Kwaiting for {len(waiting)}: {percent(mean)}")
                sys.stderr.flush()
            await asyncio.sleep(POLL)
        _clear(progress)
    return FAILED if failed else DONE


def _clear(progress: bool) -> None:
    """Wipe the progress line (on a terminal) before a line of words."""
    if progress:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


async def _statuses(daemon: Daemon, downloads: list[Download]) -> list[Mapping[str, object]]:
    try:
        replies = await daemon.client.multicall(
            [RpcCall("aria2.tellStatus", [d.gid, WAIT_KEYS]) for d in downloads]
        )
    except Aria2Error as exc:
        raise unreachable(daemon, exc) from exc
    return [
        {"status": "removed"}
        if isinstance(r, Aria2RpcError)
        else (r if isinstance(r, dict) else {})
        for r in replies
    ]
