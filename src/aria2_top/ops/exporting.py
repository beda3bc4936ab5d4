"""E: writing a download's .torrent to a file of the user's choice, never over one."""

from __future__ import annotations

import re
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.,()\[\] &+-]+")


def export_name(name: str) -> str:
    """A file name for a torrent called ``name``: ``Album & Co.torrent`` (characters a
    file name had better not hold become ``_``)."""
    base = _UNSAFE.sub("_", name).strip(" .") or "download"
    return base[:120] + ".torrent"


def writable_path(text: str) -> str | None:
    """Why ``text`` is no path to write a new file at (None: it is one)."""
    if not text.strip():
        return "give a path"
    path = Path(text).expanduser()
    if path.exists() or path.is_symlink():
        return f"{path} exists: give another name"
    if not path.parent.is_dir():
        return f"{path.parent} is no folder"
    return None


def write_new(path: str, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (``~`` expanded); raises
    FileExistsError rather than write over one (even one made meanwhile)."""
    with Path(path).expanduser().open("xb") as handle:
        handle.write(data)


def existing_folder(text: str) -> str | None:
    """Why ``text`` is no folder to move files into (None: it is one)."""
    if not text.strip():
        return "give a folder"
    path = Path(text).expanduser()
    return None if path.is_dir() else f"{path} is no folder"
