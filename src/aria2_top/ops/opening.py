"""o: open a file with the user's player, or the system's opener; Ctrl+O: open a
download's folder with the user's file manager, or the system's opener. One way to
start either: :func:`open_file`."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath

from aria2_top.model import fields

Command = str | Sequence[str] | None
"""A command from the config: words in a list, or text split as a shell would (the
path is added last); None: the system's opener."""
FOLDER_KEYS = ["dir", "files"]
"""What :func:`download_folder` reads of ``aria2.tellStatus``."""


class OpenError(Exception):
    """The file cannot be opened; the message says why, in words."""


def open_command(path: str, command: Command) -> list[str]:
    """The command that opens ``path``: the configured one (the path added last),
    else the system's opener."""
    if command:
        words = shlex.split(command) if isinstance(command, str) else list(command)
        return [*words, path]
    if sys.platform == "darwin":
        return ["open", path]
    return ["xdg-open", path]


def open_file(path: str, command: Command, *, setting: str = "player") -> None:
    """Start the opener of ``path`` on its own (it outlives aria2-top, and never
    writes to its terminal). ``setting``: the config key of ``command``, named when
    it cannot be used."""
    try:
        argv = open_command(path, command)
    except ValueError as exc:
        raise OpenError(f"the {setting} command in the config is not usable: {exc}") from exc
    if not argv or not argv[0] or shutil.which(argv[0]) is None:
        hint = "" if command else f" (set {setting} in the config file)"
        raise OpenError(f"no {argv[0] if argv and argv[0] else setting} to open it with{hint}")
    try:
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise OpenError(f"cannot start {argv[0]}: {exc.strerror or exc}") from exc


def download_folder(status: Mapping[str, object]) -> str:
    """The folder that holds a download's files (of ``aria2.tellStatus`` with
    :data:`FOLDER_KEYS`): the one all its files share inside its ``dir`` (a
    torrent's own folder, a file's folder), else its ``dir``."""
    folder = fields.text(status.get("dir")) or ""
    if not folder:
        return folder
    root = PurePath(os.path.normpath(folder))
    parents = [
        PurePath(os.path.normpath(root / path)).parent
        for entry in fields.structs(status.get("files"))
        if (path := fields.text(entry.get("path")) or "")
    ]
    if not parents:
        return str(root)
    shared = PurePath(os.path.commonpath(parents))
    return str(shared if shared.is_relative_to(root) else root)


def open_folder(path: str, command: Command) -> None:
    """Open the folder ``path`` with ``command`` (the ``file_manager``), else the
    system's opener; a folder that is not there is said."""
    if not path:
        raise OpenError("aria2 names no folder for it")
    folder = Path(path)
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist (yet)"
        raise OpenError(f"{path} {why}")
    open_file(path, command, setting="file_manager")
