"""o: open a file with the user's player, or the system's opener."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys


class OpenError(Exception):
    """The file cannot be opened; the message says why, in words."""


def open_command(path: str, player: str | None) -> list[str]:
    """The command that opens ``path``: the configured ``player`` (the path added
    last), else the system's opener."""
    if player:
        return [*shlex.split(player), path]
    if sys.platform == "darwin":
        return ["open", path]
    return ["xdg-open", path]


def open_file(path: str, player: str | None) -> None:
    """Start the opener of ``path`` on its own (it outlives aria2-top, and never
    writes to its terminal)."""
    try:
        command = open_command(path, player)
    except ValueError as exc:
        raise OpenError(f"the player command in the config is not usable: {exc}") from exc
    if not command or shutil.which(command[0]) is None:
        hint = "" if player else " (set player in the config file)"
        raise OpenError(f"no {command[0] if command else 'player'} to open it with{hint}")
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise OpenError(f"cannot start {command[0]}: {exc.strerror or exc}") from exc
