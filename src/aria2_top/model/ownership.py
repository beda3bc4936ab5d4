"""Which files on disk a download owns: the only ones removing it with data deletes.

aria2 never overwrites a file it did not start (a torrent over a user's file of the
same name fails with error 13), so a path aria2 names is not proof that the
download wrote what is there. A file is this download's when:

- the download's ``.aria2`` control file is there (aria2 is writing it, or wrote it
  and stopped before the end), or
- aria2 says the download completed it: its completed length is its length, the
  file on disk is that long, and, for a torrent, every piece covering it is present;

and no other download aria2 knows (on any daemon whose files are here) holds the
same path. A download that failed before writing (errors 13, 3, …) owns nothing.
Pure: what the disk holds comes in as :class:`OnDisk` facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.model.pieces import piece_bits, valid_bitfield

STATUS_KEYS = [
    "gid",
    "status",
    "dir",
    "files",
    "bittorrent",
    "bitfield",
    "pieceLength",
    "numPieces",
    "errorCode",
    "infoHash",
]
"""The tellStatus keys the ownership of a download's files is decided from."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of a download as aria2 describes it."""

    path: str
    length: int | None
    completed: int | None
    offset: int | None
    """Where the file starts in the download's data (None: not known)."""


@dataclass(frozen=True, slots=True)
class Claims:
    """A download's files and what decides whether it wrote them."""

    gid: str
    status: str
    folder: str
    files: tuple[FileEntry, ...]
    torrent_name: str | None
    """A multi-file torrent's folder name: its control file is ``<dir>/<name>.aria2``."""
    is_torrent: bool
    bitfield: str
    piece_length: int
    num_pieces: int
    error_code: str
    info_hash: str = ""
    """A torrent's info hash (lower-case hex): finds the metadata aria2 saved for it."""

    @property
    def control(self) -> str | None:
        """aria2's control file of the download: next to its first file, or the
        multi-file torrent's ``<name>.aria2``."""
        if self.torrent_name:
            return f"{self.folder.rstrip('/')}/{self.torrent_name}.aria2"
        first = next((f.path for f in self.files if f.path), None)
        return first + ".aria2" if first else None


def claims_of(struct: object) -> Claims | None:
    """The claims of one tellStatus reply (with :data:`STATUS_KEYS`); None when it
    names no folder or no GID."""
    status = fields.struct(struct)
    if status is None:
        return None
    folder = fields.text(status.get("dir")) or ""
    gid = status.get("gid")
    if not folder or not fields.is_gid(gid):
        return None
    entries: list[FileEntry] = []
    offset: int | None = 0
    for file in fields.structs(status.get("files")):
        path = fields.text(file.get("path")) or ""
        length = fields.count(file.get("length"))
        if path and not path.startswith("[METADATA]"):
            entries.append(
                FileEntry(path, length, fields.count(file.get("completedLength")), offset)
            )
        offset = None if offset is None or length is None else offset + length
    bittorrent = fields.struct(status.get("bittorrent")) or {}
    info = fields.struct(bittorrent.get("info")) or {}
    multi = bittorrent.get("mode") == "multi"
    return Claims(
        gid=gid,
        status=fields.text(status.get("status"), 16) or "",
        folder=folder,
        files=tuple(entries),
        torrent_name=(fields.text(info.get("name")) if multi else None) or None,
        is_torrent=bool(bittorrent) or "infoHash" in status,
        bitfield=valid_bitfield(status.get("bitfield")),
        piece_length=fields.count(status.get("pieceLength")) or 0,
        num_pieces=fields.count(status.get("numPieces")) or 0,
        error_code=fields.text(status.get("errorCode"), 8) or "",
        info_hash=(fields.text(status.get("infoHash"), 64) or "").lower(),
    )


@dataclass(frozen=True, slots=True)
class OnDisk:
    """What is at a path now (``lstat``, links not followed)."""

    regular: bool
    """A regular file (not a symlink, a folder, a device…)."""
    size: int
    identity: tuple[int, int, int, int]
    """(device, inode, size, mtime in ns): a file swapped in afterwards differs."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the download owns the file at ``path``; when not, why, in words."""

    path: str
    owned: bool
    reason: str = ""
    by_control: bool = False
    """Owned through the control file: aria2 was writing it, so its size and time may
    still move until aria2 let go; only its identity must stay."""


def pieces_present_for(claims: Claims, entry: FileEntry) -> bool:
    """Whether every piece covering ``entry`` is present in the download's bitfield."""
    if not claims.bitfield or claims.piece_length <= 0 or entry.offset is None:
        return False
    if not entry.length:
        return True
    bits = piece_bits(claims.bitfield)
    first = entry.offset // claims.piece_length
    last = (entry.offset + entry.length - 1) // claims.piece_length
    return last < len(bits) and all(bits[first : last + 1])


def completed_here(claims: Claims, entry: FileEntry, disk: OnDisk) -> bool:
    """Whether aria2 completed ``entry`` for this download and the file on disk is
    the one it completed (its length; for a torrent, its pieces too)."""
    if entry.length is None or entry.completed != entry.length or disk.size != entry.length:
        return False
    if entry.length == 0:  # no bytes, no pieces: owned once the whole download is here
        bits = piece_bits(claims.bitfield)
        whole = bool(bits) and claims.num_pieces > 0 and all(bits[: claims.num_pieces])
        return claims.status == "complete" or (claims.is_torrent and whole)
    return not claims.is_torrent or pieces_present_for(claims, entry)


def never_written(claims: Claims) -> str:
    """Why a download that does not own a file left it alone, in words."""
    if claims.error_code == "13":
        return "aria2 never wrote it: the file was there before this download (error 13)"
    if claims.status == "error":
        return "this download failed before writing it (no control file, not completed)"
    return "not written by this download (no control file of it, not completed by it)"


def verdicts(
    claims: Claims,
    disk: dict[str, OnDisk | None],
    held: dict[str, Sequence[str]],
) -> tuple[list[Verdict], Verdict | None]:
    """(a verdict for each file of ``claims`` that is on disk, one for its control
    file, or None when that is not there). ``disk``: what is at each path (None:
    nothing); ``held``: for each path, the other downloads that hold it (in words)."""
    control = claims.control
    control_disk = disk.get(control) if control else None
    has_control = control_disk is not None and control_disk.regular
    found: list[Verdict] = []
    any_held = False
    for entry in claims.files:
        on_disk = disk.get(entry.path)
        if on_disk is None:
            continue  # not here: nothing to delete
        others = held.get(entry.path, ())
        if others:
            any_held = True
            found.append(Verdict(entry.path, False, f"{others[0]} holds it too"))
        elif not on_disk.regular:
            found.append(Verdict(entry.path, False, "not a regular file: aria2 wrote no link"))
        elif has_control:
            found.append(Verdict(entry.path, True, by_control=True))
        elif completed_here(claims, entry, on_disk):
            found.append(Verdict(entry.path, True))
        else:
            found.append(Verdict(entry.path, False, never_written(claims)))
    if control is None or control_disk is None:
        return found, None
    if not has_control:
        return found, Verdict(control, False, "not a regular file: aria2 wrote no link")
    if any_held:
        return found, Verdict(control, False, "another download holds its files")
    return found, Verdict(control, True, by_control=True)


def holders(
    structs: Sequence[Struct], name_of: dict[str, str], exclude: set[str]
) -> dict[str, list[str]]:
    """Which downloads hold each path, from tellStatus replies with ``gid``,
    ``status`` and ``files`` (``name_of``: a GID's name, for the words): every file
    of every download but those of ``exclude``, except the files a stopped download
    never wrote to (its completed length 0: a failure such as error 13)."""
    found: dict[str, list[str]] = {}
    for struct in structs:
        gid = struct.get("gid")
        if not fields.is_gid(gid) or gid in exclude:
            continue
        stopped = struct.get("status") in ("error", "removed", "complete")
        for file in fields.structs(struct.get("files")):
            path = fields.text(file.get("path")) or ""
            if not path or path.startswith("[METADATA]"):
                continue
            if stopped and not fields.count(file.get("completedLength")):
                continue
            found.setdefault(path, []).append(name_of.get(gid) or f"download {gid[:6]}")
    return found
