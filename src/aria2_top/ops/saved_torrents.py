"""The .torrent files aria2 saves in a download's folder when one is added by RPC
(``rpc-save-upload-metadata``, ``<dir>/<sha1 of the file>.torrent``): found again by
their info hash, to verify or retry a torrent."""

from __future__ import annotations

from pathlib import Path

from aria2_top.model.bencode import BencodeError, info_hash

METADATA_LIMIT = 64 * 2**20
"""Larger .torrent files are not read."""
MAX_CANDIDATES = 500
""".torrent files of a folder looked at, at most."""


def find_torrent(folder: str, wanted: str) -> bytes | None:
    """The .torrent in ``folder`` whose info hash is ``wanted`` (hex), if aria2 saved
    one there; symlinks and large files are skipped."""
    wanted = wanted.lower()
    try:
        candidates = sorted(Path(folder).glob("*.torrent"))[:MAX_CANDIDATES]
    except OSError:
        return None
    for path in candidates:
        try:
            if path.is_symlink() or path.stat().st_size > METADATA_LIMIT:
                continue
            data = path.read_bytes()
            if info_hash(data) == wanted:
                return data
        except (OSError, BencodeError):
            continue
    return None
