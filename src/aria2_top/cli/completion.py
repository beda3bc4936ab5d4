"""``aria2-top completion bash|zsh|fish``: a completion script for the verbs, their
options and, where the shell lets a script ask, the GIDs the daemon has now.

Made by shtab (a well-kept library that reads the argparse parsers) from the very
parsers the verbs use, so it never falls behind them.
"""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish")
LS_GIDS = "aria2-top ls 2>/dev/null | cut -f1"
NAMES = "aria2-top config --names 2>/dev/null"
PREAMBLE = {
    "bash": f'_aria2top_gids() {{ compgen -W "$({LS_GIDS})" -- "$1"; }}\n'
    f'_aria2top_daemons() {{ compgen -W "$({NAMES})" -- "$1"; }}',
    "zsh": f'_aria2top_gids() {{ compadd -- ${{(f)"$({LS_GIDS})"}}; }}\n'
    f'_aria2top_daemons() {{ compadd -- ${{(f)"$({NAMES})"}}; }}',
}
GIDS = {
    "bash": "_aria2top_gids",
    "zsh": "_aria2top_gids",
    "fish": "(aria2-top ls 2>/dev/null | string split -f1 \\t)",
    "preamble": PREAMBLE,
}
"""How each shell completes a GID: by asking ``aria2-top ls`` (its first column)."""
DAEMON_NAMES = {
    "bash": "_aria2top_daemons",
    "zsh": "_aria2top_daemons",
    "fish": f"({NAMES})",
    "preamble": PREAMBLE,
}
"""How each shell completes ``--daemon``: the names ``aria2-top config --names`` says."""


def configure_completion(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def completion_script(root: argparse.ArgumentParser, shell: str) -> str:
    """The script for ``shell`` (GID arguments were marked by :func:`gid_argument`)."""
    import shtab  # noqa: PLC0415 - 55 ms that only this verb pays

    return shtab.complete(root, shell=shell)


def gid_argument(parser: argparse.ArgumentParser, dest: str, nargs: str | None, help: str) -> None:
    """A GID argument, completed with the daemon's GIDs (shtab's ``complete``)."""
    action = parser.add_argument(dest, nargs=nargs, metavar="GID", help=help)
    action.complete = GIDS  # type: ignore[attr-defined]
