"""``aria2-top add``: add downloads from the shell and print their GIDs."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from aria2_top.cli.options import add_connection_options, settings_from
from aria2_top.cli.watched import watched_main
from aria2_top.config.errors import ConfigError
from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import resolve_endpoints
from aria2_top.daemon.process import DaemonError
from aria2_top.ops.add_input import AddItem, common_options, parse_add_text
from aria2_top.ops.adding import add_all
from aria2_top.ops.existing import existing_on_local_daemon
from aria2_top.rpc.errors import Aria2ConnectionError, Aria2Error


def build_add_parser() -> argparse.ArgumentParser:
    """The argument parser of ``aria2-top add``."""
    parser = argparse.ArgumentParser(
        prog="aria2-top add",
        description=(
            "Add downloads to the daemon aria2-top uses (starting the private aria2c if "
            "needed, and leaving it running) and print their GIDs, one per line."
        ),
        epilog=(
            "example:\n  gid=$(aria2-top add --dir ~/iso https://example.org/a.iso) && "
            'aria2-top wait "$gid"\n\n'
            "Exit status: 0 when everything was added; 1 with one line saying why not."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "items",
        nargs="*",
        metavar="URI|FILE",
        help="a URI (several in one argument, space-separated, are mirrors), a magnet "
        "link, or a .torrent, .metalink or .meta4 file",
    )
    parser.add_argument(
        "--watched",
        action="store_true",
        help="add what lies in the watched folders (watch in the config file), each file "
        "once, renamed NAME.added or NAME.invalid (for cron or a systemd path unit)",
    )
    parser.add_argument("--dir", metavar="DIR", help="download folder (default: the daemon's)")
    parser.add_argument("--out", metavar="NAME", help="file name (one URI download only)")
    parser.add_argument("--paused", action="store_true", help="add them paused")
    parser.add_argument("--top", action="store_true", help="put them at the top of the queue")
    add_connection_options(parser, app=False)
    return parser


def add_main(argv: Sequence[str]) -> int:
    """``aria2-top add``: add, print the GIDs, or say in one line why not."""
    parser = build_add_parser()
    args = parser.parse_args(argv)
    if args.watched:
        if args.items or args.dir or args.out or args.paused or args.top:
            parser.error("--watched takes no URI, file, --dir, --out, --paused or --top")
        return watched_main(args)
    if not args.items:
        parser.error("give a URI, a magnet link or a file (or --watched)")
    items, problems = parse_add_text("\n".join(args.items))
    options, option_problems = common_options(
        items, folder=args.dir or "", out=args.out or "", paused=args.paused
    )
    problems += option_problems
    if problems:
        reasons = "; ".join(f"{args.items[p.line - 1]!r}: {p.message}" for p in problems)
        print(f"aria2-top add: nothing added: {reasons}", file=sys.stderr)
        return 1
    try:
        settings = settings_from(args)
        for warning in settings.warnings:
            print(f"aria2-top add: warning: {warning}", file=sys.stderr)
        gids, started, warnings = asyncio.run(_add(settings, items, options, top=args.top))
    except (ConfigError, DaemonError, Aria2Error) as exc:
        print(f"aria2-top add: nothing added: {exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"aria2-top add: warning: {warning}", file=sys.stderr)
    if started is not None:
        print(
            f"aria2-top add: started a private aria2c (pid {started}); it keeps "
            "downloading; run aria2-top to watch it",
            file=sys.stderr,
        )
    print("\n".join(gids))
    return 0


async def _add(
    settings: Settings, items: list[AddItem], options: dict[str, str], *, top: bool
) -> tuple[list[str], int | None, list[str]]:
    """(GIDs, PID of a private daemon started for this, warnings about existing files)."""
    if len(settings.daemons) > 1:
        names = ", ".join(d.name for d in settings.daemons)
        raise ConfigError(f"add adds to one daemon: name one with --daemon (of {names})")
    for attempt in (1, 2):
        endpoint = (await resolve_endpoints(settings, lease=False))[0]
        try:
            async with endpoint.client(settings) as client:
                warnings = await existing_on_local_daemon(client, items, options)
                outcome = await add_all(client, items, options, top=top)
            break
        except Aria2ConnectionError:
            # The last aria2-top stopped the private daemon just now: start it again.
            if endpoint.private is None or attempt == 2:
                raise
    if outcome.problems:
        raise Aria2Error("; ".join(str(problem) for problem in outcome.problems))
    private = endpoint.private
    if private is not None:
        await private.daemon.save_session()  # the new downloads survive a crash of aria2c
    started = private.daemon.pid if private is not None and private.started else None
    return outcome.gids, started, warnings
