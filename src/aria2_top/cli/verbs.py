"""Every verb of ``aria2-top``, its parser (with an example in its ``--help``) and
what runs it; the completion scripts are made from the same parsers."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aria2_top.cli.options import add_connection_options
from aria2_top.cli.shell import add_target_options

Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True, slots=True)
class Verb:
    """``aria2-top NAME``: what it does, an example, its options, what runs it."""

    name: str
    summary: str
    example: str
    configure: Configure
    run: Callable[[argparse.Namespace], int]
    daemon: bool = True
    """It talks to a daemon: it takes --rpc-url, --daemon, --secret…"""

    def parser(self, into: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
        parser = into or argparse.ArgumentParser(prog=f"aria2-top {self.name}")
        parser.description = self.summary
        parser.epilog = f"example:\n  {self.example}\n\n{EXIT_WORDS}"
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        self.configure(parser)
        if self.daemon:
            add_connection_options(parser, app=False)
        return parser

    def main(self, argv: Sequence[str]) -> int:
        return self.run(self.parser().parse_args(argv))


EXIT_WORDS = (
    "exit status: 0 done; 1 an action failed (said on stderr); 2 usage; 3 no daemon "
    "reachable (which address, and why); 124 timed out (wait); 130 interrupted (Ctrl+C)"
)


def _targets(parser: argparse.ArgumentParser) -> None:
    add_target_options(parser)


def verbs() -> list[Verb]:
    """The verbs that act from the shell (``add``, ``history`` and ``config`` keep
    parsers of their own: see :mod:`aria2_top.cli.main`)."""
    from aria2_top.cli import (  # noqa: PLC0415 - the app's start needs none of it
        acting,
        handler,
        listening,
        listing,
        raw_call,
        tuning,
        waiting,
    )

    return [
        Verb("ls", "Every download, as the table shows it (or as JSON or CSV).",
             "aria2-top ls --status active --sort down --json | jq '.[].name'",
             listing.configure_ls, listing.ls_main),
        Verb("show", "One download: what the Overview shows, and its files.",
             "aria2-top show 2089b0", listing.configure_show, listing.show_main),
        Verb("pause", "Pause downloads (running or waiting).",
             "aria2-top pause --all", _targets, acting.pause_main),
        Verb("resume", "Resume paused downloads.",
             "aria2-top resume --filter ubuntu", _targets, acting.resume_main),
        Verb("remove", "Remove downloads (with --delete-files: and the files they wrote).",
             "aria2-top remove 2089b0 --delete-files", acting.configure_remove,
             acting.remove_main),
        Verb("retry", "Add failed downloads again, with their options.",
             "aria2-top retry --all --status error", acting.configure_retry, acting.retry_main),
        Verb("purge", "Clear finished, failed and removed results (all, or those named).",
             "aria2-top purge", _targets, acting.purge_main),
        Verb("verify", "Check torrents' data against their hashes; say what was found.",
             "aria2-top verify 2089b0", _targets, acting.verify_main),
        Verb("move", "Move downloads in the queue: top, bottom, up, down or to place N.",
             "aria2-top move 2089b0 top", acting.configure_move, acting.move_main),
        Verb("limit", "Speed limits: of downloads, or (none named) of the daemon.",
             "aria2-top limit --down 500K --up 50K", tuning.configure_limit,
             tuning.limit_main),
        Verb("options", "Show or set a download's options (or the daemon's, --global).",
             "aria2-top options 2089b0 max-connection-per-server=4", tuning.configure_options,
             tuning.options_main),
        Verb("wait", "Wait until downloads end: exit 0 all finished, 1 one failed, 124 time out.",
             "gid=$(aria2-top add URL) && aria2-top wait \"$gid\" --timeout 3600",
             waiting.configure_wait, waiting.wait_main),
        Verb("listen", "Run a command when a download starts, finishes, fails… (or print it).",
             "aria2-top listen --on-complete 'notify-send \"done\"'",
             listening.configure_listen, listening.listen_main),
        Verb("call", "One raw JSON-RPC call (the secret added for you); JSON out.",
             "aria2-top call aria2.getGlobalStat", raw_call.configure_call,
             raw_call.call_main),
        Verb("install-handler",
             "Open magnet links and .torrent files with aria2-top add (an XDG desktop entry).",
             "aria2-top install-handler        # aria2-top install-handler --remove undoes it",
             handler.configure_install_handler, handler.install_handler_main, daemon=False),
    ]  # fmt: skip
