"""Files only their owner may read: the data folder (0700) and what is in it (0600).

The private daemon's config holds its RPC secret, its session holds the URIs of
every download (with any ``user:password@`` in them); nothing there is for other
users of the machine.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if sys.platform != "win32":
        path.chmod(PRIVATE_DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Make an existing file 0600 (no error if it is gone)."""
    if sys.platform != "win32":
        with contextlib.suppress(FileNotFoundError):
            path.chmod(PRIVATE_FILE_MODE)


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """``os.open`` a file that is 0600 from its first byte (and made so if it existed)."""
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    if sys.platform != "win32":
        os.fchmod(fd, PRIVATE_FILE_MODE)
    return fd


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), from the first byte."""
    ensure_private_dir(path.parent)
    with os.fdopen(open_private(path), "w", encoding="utf-8") as handle:
        handle.write(text)
