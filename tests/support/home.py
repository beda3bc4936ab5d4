"""Tests never write outside their own temporary folders.

Every test runs with ``HOME`` and every XDG folder pointed into a temporary folder
of its own (subprocesses inherit them; Chromium keeps its profile under
``XDG_CONFIG_HOME``), and the session checks at its end that nothing under the
real home changed.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from pathlib import Path

XDG_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
    "XDG_RUNTIME_DIR": "run",
    "XDG_DOWNLOAD_DIR": "Downloads",
}
"""The variables that name a user's folders, and where each points in a test home."""
ALSO_CLEARED = ("XDG_CONFIG_DIRS", "XDG_DATA_DIRS", "CHROME_CONFIG_HOME")
"""Variables that could lead a program back to folders of the real user."""
TOOLCHAINS = frozenset({".pyenv", ".rustup", ".cargo", ".m2", ".npm", ".claude"})
"""Top-level folders of the real home that hold the machine's toolchains (Python
itself may write byte code into .pyenv) or the session's tools: not looked at."""
MAX_ENTRIES = 200_000
"""Entries of the real home compared at most (a check, not a backup)."""


def real_home() -> Path:
    """The home of the user running the tests, whatever ``HOME`` says now."""
    try:
        return Path(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        return Path(os.environ.get("HOME", "/"))


def home_environment(home: Path) -> dict[str, str]:
    """``HOME`` and every XDG folder under ``home`` (the folders are made)."""
    env = {"HOME": str(home)}
    for variable, relative in XDG_FOLDERS.items():
        folder = home / relative
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[variable] = str(folder)
    return env


def tree_state(root: Path) -> dict[str, tuple[int, int, int]]:
    """(mode, size, mtime in ns) of every entry under ``root`` (symlinks not
    followed; the toolchains of :data:`TOOLCHAINS` left out)."""
    state: dict[str, tuple[int, int, int]] = {}
    stack = [root]
    while stack and len(state) < MAX_ENTRIES:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if folder == root and entry.name in TOOLCHAINS:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            state[entry.path] = (info.st_mode, info.st_size, info.st_mtime_ns)
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
    return state


def changes(
    before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]
) -> Iterator[str]:
    """What differs between two :func:`tree_state` readings, in words."""
    for path in sorted(after.keys() - before.keys()):
        yield f"created {path}"
    for path in sorted(before.keys() - after.keys()):
        yield f"removed {path}"
    for path in sorted(before.keys() & after.keys()):
        if before[path] != after[path]:
            yield f"changed {path}"
