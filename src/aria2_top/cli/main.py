"""The ``aria2-top`` command line: parse arguments, pick the daemon, run the app."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import platform
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aria2_top import __version__
from aria2_top.cli.completion import completion_script, configure_completion
from aria2_top.cli.config import build_config_parser, config_main
from aria2_top.cli.history import build_history_parser, history_main
from aria2_top.cli.options import add_connection_options, settings_from
from aria2_top.cli.verbs import verbs
from aria2_top.cli.watched import watched_main
from aria2_top.config.errors import ConfigError
from aria2_top.config.settings import (
    ENV_RPC_URL,
    ENV_SECRET,
    Settings,
    default_config_path,
)
from aria2_top.daemon.endpoint import Endpoint, resolve_endpoints
from aria2_top.daemon.process import DaemonError
from aria2_top.diagnostics.crash_report import write_crash_report
from aria2_top.diagnostics.debug_log import enable_textual_devtools, start_debug_log
from aria2_top.diagnostics.versions import versions_text
from aria2_top.ops.add_input import AddItem, common_options, parse_add_text
from aria2_top.ops.adding import add_all
from aria2_top.ops.existing import existing_on_local_daemon
from aria2_top.rpc.client import redact_url
from aria2_top.rpc.errors import Aria2ConnectionError, Aria2Error
from aria2_top.web.serve import add_serve_options, serve

if TYPE_CHECKING:
    from aria2_top.ui.app import Aria2TopApp

_log = logging.getLogger(__name__)
HELP_WIDTH = 78


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``aria2-top``."""
    description = (
        "The htop of downloads: a live, keyboard-driven dashboard for aria2c. "
        "With no daemon configured and none on the default address, it starts "
        "a private aria2c of its own. From the shell: aria2-top "
        + ", ".join(VERB_NAMES)
        + " (each with --help)"
    )
    parser = argparse.ArgumentParser(
        prog="aria2-top",
        description=textwrap.fill(description, HELP_WIDTH),
        # The config file's path on a line of its own: a long path is never broken.
        epilog=(
            textwrap.fill(
                f"Settings come from the command line, then the environment ({ENV_RPC_URL}, "
                f"{ENV_SECRET}), then the config file:",
                HELP_WIDTH,
            )
            + f"\n  {default_config_path()}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aria2-top {__version__}")
    add_connection_options(parser)
    parser.add_argument(
        "--keep-daemon",
        action="store_true",
        help="leave the private aria2c running on exit (the next aria2-top reconnects to it)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="write a debug log (no secrets in it) to debug.log in the data folder, and "
        "send Textual's log to `textual console` if it runs",
    )
    add_serve_options(parser)
    return parser


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


def say(text: str, *, error: bool = False) -> None:
    """Print a line on the terminal, if there still is one: after the app, the
    terminal may be gone (a closed window, a dropped SSH link), and the private
    daemon must be stopped all the same."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr if error else sys.stdout, flush=True)


def _finish_private_daemon(endpoint: Endpoint, keep_daemon: bool) -> None:
    """Let go of the private daemon: the last aria2-top to quit stops it."""
    private = endpoint.private
    if private is None:
        return

    def stopping() -> None:
        say("aria2-top: saving the session and stopping the private aria2c…")

    try:
        stopped = asyncio.run(private.release(keep_running=keep_daemon, stopping=stopping))
    except (DaemonError, Aria2Error, OSError) as exc:
        say(f"aria2-top: could not stop the private daemon: {exc}", error=True)
        return
    daemon = private.daemon
    if keep_daemon:
        say(
            f"aria2-top: the private aria2c (pid {daemon.pid}) keeps running at {daemon.url}; "
            f"run aria2-top again to reconnect (its secret is in {daemon.conf_path})."
        )
    elif not stopped and not daemon.exited():
        say("aria2-top: the private aria2c keeps running for the other aria2-top using it.")


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


VERB_NAMES = (
    *("add", "ls", "show", "pause", "resume", "remove", "retry", "purge", "verify", "move"),
    *("limit", "options", "wait", "listen", "call", "history", "config", "completion"),
    "install-handler",
)
"""The verbs of the command line (``aria2-top VERB --help`` says each)."""


def verb_mains() -> dict[str, Callable[[Sequence[str]], int]]:
    """What runs each verb, by name."""
    mains: dict[str, Callable[[Sequence[str]], int]] = {
        "add": add_main,
        "history": history_main,
        "config": config_main,
        "completion": completion_main,
    }
    mains |= {verb.name: verb.main for verb in verbs()}
    return mains


def root_parser() -> argparse.ArgumentParser:
    """``aria2-top`` with every verb as a subcommand: what completion is made from."""
    parser = build_parser()
    subcommands = parser.add_subparsers(dest="verb", metavar="VERB")
    own = {"add": build_add_parser, "history": build_history_parser, "config": build_config_parser}
    for name, build in own.items():
        made = build()
        subcommands.add_parser(name, parents=[made], add_help=False, help=made.description)
    for verb in verbs():
        verb.parser(subcommands.add_parser(verb.name, help=verb.summary))
    configure_completion(subcommands.add_parser("completion", help="a shell completion script"))
    return parser


def completion_main(argv: Sequence[str]) -> int:
    """``aria2-top completion SHELL``: the script on stdout."""
    parser = argparse.ArgumentParser(
        prog="aria2-top completion",
        description="Print a completion script for bash, zsh or fish.",
        epilog=(
            "example:\n  aria2-top completion bash > ~/.local/share/bash-completion/"
            "completions/aria2-top"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure_completion(parser)
    args = parser.parse_args(argv)
    print(completion_script(root_parser(), args.shell))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aria2-top`` script and ``python -m aria2_top``.

    An unexpected error never ends it silently: it exits 1 and names the file that
    holds the report (see :mod:`aria2_top.diagnostics.crash_report`).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    settings: Settings | None = None
    try:
        verb = verb_mains().get(argv[0]) if argv and argv[0] in VERB_NAMES else None
        if verb is not None:
            return verb(argv[1:])
        args = build_parser().parse_args(argv)
        try:
            settings = settings_from(args)
        except ConfigError as exc:
            print(f"aria2-top: {exc}", file=sys.stderr)
            return 2
        if args.debug and not _start_debugging(settings):
            return 2
        if args.serve:
            return serve(args, argv)
        return _run_app(settings, keep_daemon=args.keep_daemon)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        return _crashed(exc, settings)


def _secrets_of(settings: Settings) -> list[str | None]:
    return [settings.secret, *(daemon.secret for daemon in settings.daemons)]


def _start_debugging(settings: Settings) -> bool:
    """``--debug``: the debug log and Textual's devtools; say where the log goes.
    False (having said why) when the log cannot be written."""
    try:
        path = start_debug_log(settings.data_dir, _secrets_of(settings))
    except OSError as exc:
        print(
            f"aria2-top: cannot write the debug log in {settings.data_dir}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return False
    enable_textual_devtools()
    print(
        f"aria2-top: debug log: {path} (Textual's own log goes to `textual console` if it runs)",
        file=sys.stderr,
    )
    _log.info("aria2-top started (pid %d): %s", os.getpid(), versions_text())
    _log.info("platform: %s", platform.platform())
    config = settings.config_path
    _log.info("config file: %s (%s)", config, "read" if config.is_file() else "none there")
    _log.info("data folder: %s", settings.data_dir)
    _log.info(
        "interval %g s, timeout %g s, resync %g s, %d daemon(s) configured",
        settings.interval,
        settings.timeout,
        settings.resync,
        len(settings.daemons),
    )
    return True


def _log_endpoints(endpoints: Sequence[Endpoint]) -> None:
    """Each daemon in the debug log: its address (without the secret), and the private
    daemon's process."""
    for endpoint in endpoints:
        url = redact_url(endpoint.url)
        private = endpoint.private
        where = (
            f"the private aria2c, pid {private.daemon.pid}, "
            + ("started now" if private.started else "already running")
            if private
            else ""
        )
        _log.info(
            "daemon %s (secret: %s)%s",
            url if endpoint.label == url else f"{endpoint.label} at {url}",
            "set" if endpoint.secret else "none",
            f"; {where}" if where else "",
        )


def _run_app(settings: Settings, *, keep_daemon: bool) -> int:
    try:
        endpoints = asyncio.run(resolve_endpoints(settings))
    except DaemonError as exc:
        _log.error("no daemon: %s", exc)
        print(f"aria2-top: {exc}", file=sys.stderr)
        return 1
    _log_endpoints(endpoints)

    # The app's modules, with no garbage collection meanwhile (~10% of the start):
    # what imports make lives as long as the process, so no collection finds garbage
    # in it; frozen, later collections do not walk it either.
    gc.disable()
    try:
        from aria2_top.ui.app import Aria2TopApp  # noqa: PLC0415 - keep --help fast
    finally:
        gc.freeze()
        gc.enable()

    app: Aria2TopApp = Aria2TopApp(endpoints, settings)
    try:
        app.run()
    finally:
        for note in app.exit_notes:
            say(f"aria2-top: {note}", error=True)
        for endpoint in endpoints:
            _finish_private_daemon(endpoint, keep_daemon)
    _log.info("aria2-top quit (exit status %d)", app.return_code or 0)
    return 1 if app.return_code else 0


def _crashed(error: Exception, settings: Settings | None) -> int:
    """Write the report of an unexpected error and say where it is."""
    from aria2_top.config.settings import default_data_dir  # noqa: PLC0415 - only on a crash

    folder = settings.data_dir if settings else default_data_dir()
    secrets = _secrets_of(settings) if settings else []
    path = write_crash_report(error, folder, secrets)
    _log.error("unexpected error (report: %s)", path, exc_info=error)
    where = f"a report is in {path}" if path else "no report could be written"
    say(f"aria2-top stopped on an unexpected error ({type(error).__name__}): {where}", error=True)
    return 1
