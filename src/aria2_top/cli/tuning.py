"""``aria2-top limit`` and ``aria2-top options``: speed limits (global, or of
downloads) and any option, each read back after it is set (aria2 answers OK to
changes it ignores), as the dashboard does."""

from __future__ import annotations

import argparse

from aria2_top.cli.acting import Tally
from aria2_top.cli.completion import gid_argument
from aria2_top.cli.shell import (
    DONE,
    FAILED,
    USAGE,
    Daemon,
    VerbError,
    add_target_options,
    by_gid,
    daemons,
    look_all,
    look_each,
    pick,
    run_verb,
    say,
    unreachable,
)
from aria2_top.config.settings import Settings
from aria2_top.live.fleet import by_daemon
from aria2_top.model.availability import Action, refusal
from aria2_top.model.format import safe_text
from aria2_top.model.masking import mask_option
from aria2_top.model.records import json_text
from aria2_top.model.units import UnitError, parse_bytes
from aria2_top.ops.download_options import (
    GLOBAL_LIMITS,
    OptionsOutcome,
    limit_words,
    option_value,
    set_download_limits,
    set_download_option,
    set_global_options,
    shown_value,
)
from aria2_top.rpc.errors import Aria2Error


def _limit(text: str) -> int:
    try:
        return parse_bytes(text)
    except UnitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def configure_limit(parser: argparse.ArgumentParser) -> None:
    add_target_options(parser)
    parser.add_argument("--down", type=_limit, metavar="SPEED", help="↓ limit: 500K, 2M; 0: none")
    parser.add_argument("--up", type=_limit, metavar="SPEED", help="↑ limit: 50K; 0: none")


def limit_main(args: argparse.Namespace) -> int:
    if args.down is None and args.up is None:
        say("limit", "give --down, --up or both")
        return USAGE
    named = bool(args.gids or args.all or args.filter is not None)
    return run_verb(
        "limit", args, lambda settings: (_of_downloads if named else _global)(settings, args)
    )


async def _global(settings: Settings, args: argparse.Namespace) -> int:
    """The daemons' overall limits (every daemon's, or those of --daemon)."""
    wanted = {
        name: str(value)
        for name, value in zip(GLOBAL_LIMITS, (args.down, args.up), strict=True)
        if value is not None
    }
    async with daemons(settings) as reached:
        tally = Tally("limit", len(reached) > 1)
        for daemon in reached:
            try:
                outcome = await set_global_options(daemon.client, wanted)
            except Aria2Error as exc:
                raise unreachable(daemon, exc) from exc
            _said(tally, daemon, outcome, "global limits: ")
        return tally.code


async def _of_downloads(settings: Settings, args: argparse.Namespace) -> int:
    async with daemons(settings) as reached:
        looks = await look_each(reached)
        targets = pick(
            [d for _, shot in looks for d in shot.downloads],
            args,
            lambda download: refusal(Action.LIMITS, download) is None,
        )
        tally = Tally("limit", len(reached) > 1)
        for daemon, group in ((d, by_daemon(targets).get(d.name, [])) for d, _ in looks):
            refused = [said for d in group if (said := refusal(Action.LIMITS, d))]
            for said in refused:
                tally.error(daemon.name, said)
            group = [d for d in group if not refusal(Action.LIMITS, d)]
            if not group:
                continue
            try:
                result = await set_download_limits(daemon.client, group, args.down, args.up)
            except Aria2Error as exc:
                raise unreachable(daemon, exc) from exc
            words = f"↓ {limit_words(args.down)}  ↑ {limit_words(args.up)}"
            tally.result(daemon.name, result, f"limits {words} of")
        return tally.code


def _said(tally: Tally, daemon: Daemon, outcome: OptionsOutcome, lead: str = "") -> None:
    if outcome.kept:
        tally.error(daemon.name, outcome.message())
    else:
        tally.done(daemon.name, lead + outcome.message())


# -- options ---------------------------------------------------------------------------


def configure_options(parser: argparse.ArgumentParser) -> None:
    gid_argument(parser, "gid", "?", "the download (leave out with --global)")
    parser.add_argument(
        "pairs",
        nargs="*",
        metavar="KEY[=VALUE]",
        help="KEY: show it; KEY=VALUE: set it (then read back); none: show them all",
    )
    parser.add_argument(
        "--global",
        dest="daemon_wide",
        action="store_true",
        help="the daemon's own options, not a download's",
    )
    parser.add_argument("--json", action="store_true", help="the options as a JSON object")
    parser.add_argument(
        "--reveal", action="store_true", help="show passwords and tokens (masked otherwise)"
    )


def options_main(args: argparse.Namespace) -> int:
    if args.daemon_wide and args.gid is not None:
        args.pairs.insert(0, args.gid)
        args.gid = None
    if not args.daemon_wide and args.gid is None:
        say("options", "name a download (GID), or give --global")
        return USAGE
    return run_verb("options", args, lambda settings: _options(settings, args))


async def _options(settings: Settings, args: argparse.Namespace) -> int:
    try:
        wanted = {
            key: option_value(key, value)
            for key, value in (pair.split("=", 1) for pair in args.pairs if "=" in pair)
        }
    except UnitError as exc:
        raise VerbError(str(exc), USAGE) from exc
    shown = [pair for pair in args.pairs if "=" not in pair]
    async with daemons(settings) as reached:
        if args.daemon_wide:
            if len(reached) > 1:
                raise VerbError("options --global is for one daemon: name it with --daemon", USAGE)
            daemon, gid = reached[0], None
        else:
            download = by_gid(await look_all(reached), args.gid)
            daemon = next(d for d in reached if d.name == download.daemon)
            gid = download.gid
        try:
            if wanted:
                outcome = await (
                    set_global_options(daemon.client, wanted)
                    if gid is None
                    else set_download_option(daemon.client, gid, wanted)
                )
                tally = Tally("options", False)
                _said(tally, daemon, outcome)
                return tally.code
            options = await (
                daemon.client.get_global_option() if gid is None else daemon.client.get_option(gid)
            )
        except Aria2Error as exc:
            raise unreachable(daemon, exc) from exc
    chosen = {k: v for k, v in sorted(options.items()) if not shown or k in shown}
    missing = [key for key in shown if key not in options]
    if args.json:  # values as aria2 has them (limits in bytes), secrets masked
        print(json_text({k: v if args.reveal else mask_option(k, v) for k, v in chosen.items()}))
    else:
        for key, value in chosen.items():
            print(f"{key} = {safe_text(value if args.reveal else shown_value(key, value))}")
    for key in missing:
        say("options", f"aria2 has no option {key!r} here")
    return FAILED if missing else DONE
