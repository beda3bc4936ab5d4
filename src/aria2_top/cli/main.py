"""The ``aria2-top`` command line: parse arguments, pick the daemon, run the app."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import platform
import sys
import textwrap
from collections.abc import Callable, Sequence

from aria2_top import __version__
from aria2_top.cli.options import add_connection_options, settings_from
from aria2_top.config.errors import ConfigError
from aria2_top.config.settings import (
    ENV_RPC_URL,
    ENV_SECRET,
    Settings,
    default_config_path,
)
from aria2_top.ui.first_rows import show_first_rows
from aria2_top.web.serve import add_serve_options

# What the dashboard does not need is imported when asked for (the verbs, the
# browser mode, the daemon and the app itself): the first rows come sooner.

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


def say(text: str, *, error: bool = False) -> None:
    """Print a line on the terminal, if there still is one: after the app, the
    terminal may be gone (a closed window, a dropped SSH link), and the private
    daemon must be stopped all the same."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr if error else sys.stdout, flush=True)


VERB_NAMES = (
    *("add", "ls", "show", "pause", "resume", "remove", "retry", "purge", "verify", "move"),
    *("limit", "options", "wait", "listen", "call", "history", "config", "completion"),
    "install-handler",
)
"""The verbs of the command line (``aria2-top VERB --help`` says each)."""


def verb_mains() -> dict[str, Callable[[Sequence[str]], int]]:
    """What runs each verb, by name."""
    # A verb's modules are loaded only when a verb runs.
    from aria2_top.cli.add_verb import add_main  # noqa: PLC0415
    from aria2_top.cli.completion_verb import completion_main  # noqa: PLC0415
    from aria2_top.cli.config import config_main  # noqa: PLC0415
    from aria2_top.cli.history import history_main  # noqa: PLC0415
    from aria2_top.cli.verbs import verbs  # noqa: PLC0415

    mains: dict[str, Callable[[Sequence[str]], int]] = {
        "add": add_main,
        "history": history_main,
        "config": config_main,
        "completion": completion_main,
    }
    mains |= {verb.name: verb.main for verb in verbs()}
    return mains


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
            from aria2_top.web.serve import serve  # noqa: PLC0415 - only for --serve

            return serve(args, argv)
        return _run_app(settings, keep_daemon=args.keep_daemon)
    except BrokenPipeError:  # what reads our output went away (`aria2-top ls | head`)
        _drop_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:  # Ctrl+C before the app takes the keys: no traceback
        say("aria2-top: interrupted", error=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        return _crashed(exc, settings)


BROKEN_PIPE = 141
"""The exit status of a command whose reader went away (128 + SIGPIPE, as the shell
reports it for a program SIGPIPE ended)."""


def _drop_stdout() -> None:
    """Send what is left to write to /dev/null: the reader is gone, and Python's own
    flush at exit must not fail on it again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _secrets_of(settings: Settings) -> list[str | None]:
    return [settings.secret, *(daemon.secret for daemon in settings.daemons)]


def _start_debugging(settings: Settings) -> bool:
    """``--debug``: the debug log and Textual's devtools; say where the log goes.
    False (having said why) when the log cannot be written."""
    from aria2_top.diagnostics.debug_log import (  # noqa: PLC0415 - only with --debug
        enable_textual_devtools,
        start_debug_log,
    )
    from aria2_top.diagnostics.versions import versions_text  # noqa: PLC0415

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


def _run_app(settings: Settings, *, keep_daemon: bool) -> int:
    """The dashboard (see :mod:`aria2_top.cli.dashboard`), its first rows drawn before
    its modules are loaded (:mod:`aria2_top.ui.first_rows`)."""
    early = show_first_rows(settings)
    try:
        from aria2_top.cli.dashboard import run_app  # noqa: PLC0415 - the app's modules

        return run_app(settings, keep_daemon=keep_daemon, early=early)
    finally:
        if early is not None:
            early.close()  # the app never took the terminal (no daemon, an error)


def _crashed(error: Exception, settings: Settings | None) -> int:
    """Write the report of an unexpected error and say where it is."""
    from aria2_top.config.settings import default_data_dir  # noqa: PLC0415 - only on a crash
    from aria2_top.diagnostics.crash_report import write_crash_report  # noqa: PLC0415

    folder = settings.data_dir if settings else default_data_dir()
    secrets = _secrets_of(settings) if settings else []
    path = write_crash_report(error, folder, secrets)
    _log.error("unexpected error (report: %s)", path, exc_info=error)
    where = f"a report is in {path}" if path else "no report could be written"
    say(f"aria2-top stopped on an unexpected error ({type(error).__name__}): {where}", error=True)
    return 1
