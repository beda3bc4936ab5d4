"""The metadata aria2 saved for a torrent, and whether another download still uses it.

aria2 adding a torrent by RPC (``rpc-save-upload-metadata``, its default) writes the
bytes to ``<dir>/<SHA-1 of the bytes>.torrent``, so that its session can add it
again. Such a file is found by content: named after the SHA-1 of what it holds, and
of the download's info hash. A file named any other way is the user's (a .torrent
they saved, a magnet's ``bt-save-metadata`` named by info hash) and is left alone.

The file goes with the download (F9 ``d``) or moves with it (``M``) only when no
other download aria2 knows, on any daemon whose files are here, is of the same
torrent: a copy added again, a result kept, a magnet's follow-up may all need it
(``V``, ``r`` and ``E`` find a torrent's metadata in its folder). Pure: what the
disk and the daemons hold comes in as arguments.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aria2_top.model import fields
from aria2_top.model.bencode import BencodeError, info_hash
from aria2_top.model.fields import Struct

SAVED_NAME = re.compile(r"[0-9a-f]{40}\.torrent")
"""How aria2 names the metadata it saves (lower-case hex)."""


@dataclass(slots=True)
class Holding:
    """What the other downloads hold: each path (their files) and each info hash
    (lower-case hex), with the downloads holding it, in words."""

    paths: dict[str, list[str]] = field(default_factory=dict)
    hashes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: Holding) -> None:
        """Take in what ``other`` (another daemon's downloads) holds."""
        for mine, theirs in ((self.paths, other.paths), (self.hashes, other.hashes)):
            for key, names in theirs.items():
                mine.setdefault(key, []).extend(names)


def could_be_saved(name: str) -> bool:
    """Whether a file of this name may be metadata aria2 saved (before reading it)."""
    return SAVED_NAME.fullmatch(name) is not None


def saved_by_aria2(name: str, data: bytes, wanted: str) -> bool:
    """Whether the file ``name`` holding ``data`` is the metadata aria2 saved for the
    torrent of info hash ``wanted`` (hex): named after the SHA-1 of its bytes, and of
    that info hash."""
    if (
        not could_be_saved(name)
        or name[:40] != hashlib.sha1(data, usedforsecurity=False).hexdigest()
    ):
        return False
    try:
        return info_hash(data) == wanted.lower()
    except BencodeError:
        return False


def hash_holders(
    structs: Sequence[Struct], name_of: Mapping[str, str], exclude: set[str]
) -> dict[str, list[str]]:
    """Which downloads are of each info hash (lower-case hex), from tellStatus replies
    with ``gid`` and ``infoHash``, in any state (a result kept is retried from the
    metadata), but those of ``exclude`` (``name_of``: a GID's name, for the words)."""
    found: dict[str, list[str]] = {}
    for struct in structs:
        gid = struct.get("gid")
        hash_ = (fields.text(struct.get("infoHash"), 64) or "").lower()
        if not fields.is_gid(gid) or gid in exclude or not hash_:
            continue
        found.setdefault(hash_, []).append(name_of.get(gid) or f"download {gid[:6]}")
    return found


def why_it_stays(hash_: str, holding: Holding, path_holders: Sequence[str] = ()) -> str:
    """Why the saved metadata of the torrent ``hash_`` stays for the other downloads,
    in words (``path_holders``: those holding its very path as a file of theirs);
    empty when no other download uses it."""
    users = holding.hashes.get(hash_.lower(), ())
    if users:
        return f"{users[0]} (the same torrent) uses it too"
    if path_holders:
        return f"{path_holders[0]} holds it too"
    return ""
