"""The .torrent files aria2 saves in a download's folder when one is added by RPC
(``rpc-save-upload-metadata``, ``<dir>/<sha1 of the file>.torrent``): found again by
their info hash, to verify or retry a torrent; and those of them that go with the
download when it is removed with its data or moved (see :mod:`saved_metadata`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from aria2_top.model.bencode import BencodeError, info_hash
from aria2_top.model.saved_metadata import Holding, could_be_saved, saved_by_aria2, why_it_stays

METADATA_LIMIT = 64 * 2**20
"""Larger .torrent files are not read."""
MAX_CANDIDATES = 500
""".torrent files of a folder looked at, at most."""


def _torrent_files(
    folder: str, named: Callable[[str], bool] = lambda _name: True
) -> Iterator[tuple[Path, os.stat_result, bytes]]:
    """The .torrent files directly in ``folder`` whose name ``named`` takes (at most
    :data:`MAX_CANDIDATES`, by name), each resolved inside the folder, with its
    ``lstat`` as it was looked at and its bytes; symlinks, anything but a regular
    file, and large files are skipped."""
    root = Path(os.path.realpath(folder))
    try:
        names = sorted(p.name for p in Path(folder).glob("*.torrent") if named(p.name))
    except OSError:
        return
    for name in names[:MAX_CANDIDATES]:
        path = root / name
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > METADATA_LIMIT:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        yield path, info, data


def find_torrent(folder: str, wanted: str) -> bytes | None:
    """The .torrent in ``folder`` whose info hash is ``wanted`` (hex), if aria2 saved
    one there; symlinks and large files are skipped."""
    wanted = wanted.lower()
    for _path, _info, data in _torrent_files(folder):
        try:
            if info_hash(data) == wanted:
                return data
        except BencodeError:
            continue
    return None


def saved_files(folder: str, wanted: str) -> list[tuple[Path, os.stat_result]]:
    """The metadata files aria2 saved in ``folder`` for the torrent of info hash
    ``wanted`` (named after the SHA-1 of their bytes: see :mod:`saved_metadata`), each
    resolved inside the folder, with its ``lstat`` as it was looked at; symlinks,
    anything but a regular file, and large files are skipped."""
    return [
        (path, info)
        for path, info, data in _torrent_files(folder, could_be_saved)
        if saved_by_aria2(path.name, data, wanted)
    ]


def carried_along(
    folder: str, wanted: str, holding: Holding, target: str
) -> tuple[list[str], list[str]]:
    """(the saved metadata of the torrent ``wanted`` that moves with its files from
    ``folder`` to ``target``, why the rest stays, in words): a file another download
    uses stays (it finds its metadata in its own folder), and so does one whose name
    is taken at ``target`` (never moved over a file)."""
    moving: list[str] = []
    staying: list[str] = []
    goal = Path(target)
    for path, _info in saved_files(folder, wanted):
        why = why_it_stays(wanted, holding, holding.paths.get(str(Path(folder, path.name)), ()))
        if not why and os.path.lexists(goal / path.name):
            why = f"{goal / path.name} exists"
        if why:
            staying.append(f"its saved {path.name} stays: {why}")
        else:
            moving.append(str(path))
    return moving, staying
