"""A download's files on this machine: whether they are here, and deleting them safely.

A daemon is *local* when its URL is loopback and its download folder exists on this
machine; file actions are offered for local daemons only. Every path from aria2 is
untrusted: it is resolved before anything happens, only what lies inside the
download's own folder (its ``dir``) is ever touched, only a file the download wrote
(see :mod:`ownership`) is deleted, and only while it is still that very file; a
symlink is never followed, and a folder is only ever removed when it is empty.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from aria2_top.model.ownership import Claims, OnDisk, verdicts
from aria2_top.model.saved_metadata import Holding, why_it_stays
from aria2_top.ops.saved_torrents import saved_files


def inside(root: Path, folder: str, path: str) -> Path | None:
    """``path`` (relative ones are under ``folder``) as a path inside ``root`` (the
    folder, resolved), with its parents resolved and its last part not followed;
    None when it lies anywhere else, or is the folder itself."""
    candidate = Path(folder, path)  # an absolute path stays as it is
    candidate = Path(os.path.normpath(candidate))
    if candidate.name in ("", ".", ".."):
        return None
    resolved = Path(os.path.realpath(candidate.parent)) / candidate.name
    if resolved == root or not resolved.is_relative_to(root):
        return None
    return resolved


def resolved(folder: str, paths: Iterable[str]) -> tuple[Path, list[Path], list[str]]:
    """(the folder resolved, the paths inside it resolved, the paths outside it) of a
    download's ``paths`` (empty ones skipped): the first step of every file action."""
    root = Path(os.path.realpath(folder))
    inside_paths: list[Path] = []
    refused: list[str] = []
    for path in paths:
        if path:
            found = inside(root, folder, path)
            if found is None:
                refused.append(path)
            else:
                inside_paths.append(found)
    return root, inside_paths, refused


def deepest_first(folders: Iterable[Path]) -> tuple[Path, ...]:
    """Folders ordered so that each comes before the folders holding it."""
    return tuple(sorted(folders, key=lambda p: len(p.parts), reverse=True))


def folders_between(root: Path, path: Path) -> list[Path]:
    """The folders between ``root`` and ``path`` (``path`` inside it), not ``root``."""
    found = []
    parent = path.parent
    while parent != root and parent.is_relative_to(root):
        found.append(parent)
        parent = parent.parent
    return found


def _on_disk(info: os.stat_result) -> int:
    """Bytes a file takes on disk (a symlink or a sparse file takes little)."""
    if not stat.S_ISREG(info.st_mode):
        return 0
    blocks = getattr(info, "st_blocks", None)
    return info.st_size if blocks is None else blocks * 512


@dataclass(frozen=True, slots=True)
class Owned:
    """A file the download owns (see :mod:`ownership`), as it was when looked at."""

    path: Path
    identity: tuple[int, int, int, int]
    """(device, inode, size, mtime in ns) then."""
    by_control: bool = False
    """Owned through the control file: aria2 may still write it (size, time) until it
    lets go, so only its device and inode must stay; and the control file itself,
    which aria2 replaces when it saves it, must only still be a regular file."""
    control: bool = False

    def unchanged(self, now: os.stat_result) -> bool:
        """Whether ``now`` (an ``lstat`` just before deleting) is the file looked at."""
        if not stat.S_ISREG(now.st_mode):
            return False
        if self.control:
            return True
        identity = _identity(now)
        if self.by_control:
            return identity[:2] == self.identity[:2]
        return identity == self.identity


@dataclass(frozen=True, slots=True)
class Kept:
    """A file of the download that stays, and why (in words)."""

    path: str
    """Relative to the download's folder."""
    reason: str


@dataclass(frozen=True, slots=True)
class DeletionPlan:
    """What deleting a download's data would remove, decided before anything is."""

    folder: Path
    owned: tuple[Owned, ...]
    """Files inside the folder that the download wrote (the control file among them)."""
    refused: tuple[str, ...] = ()
    """Paths aria2 gave that lie outside the download's folder: left alone."""
    folders: tuple[Path, ...] = ()
    """Folders that held the files, deepest first: removed only if empty after."""
    size: int = 0
    """Bytes the files take on disk."""
    kept: tuple[Kept, ...] = ()
    """Files of the download on disk that it did not write, or that another download
    holds: left alone, each with why."""
    length: int = 0
    """Bytes the files hold (their sizes, as the table's Size counts them)."""

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(owned.path for owned in self.owned)

    def shown_paths(self, count: int) -> list[str]:
        """The first ``count`` files, relative to the download's folder."""
        return [str(owned.path.relative_to(self.folder)) for owned in self.owned[:count]]


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _on_disk_fact(path: Path) -> tuple[OnDisk | None, os.stat_result | None]:
    try:
        info = path.lstat()
    except OSError:
        return None, None
    if stat.S_ISDIR(info.st_mode):
        return None, None  # a folder is only removed when empty, below
    regular = stat.S_ISREG(info.st_mode)
    return OnDisk(regular, info.st_size, _identity(info)), info


def plan_deletion(claims: Claims, held: Mapping[str, Sequence[str]]) -> DeletionPlan:
    """What deleting the files of ``claims`` would remove: only files inside its
    folder (never the folder itself) that the download owns (see :mod:`ownership`);
    ``held``: the other downloads holding each path, by path as aria2 names it."""
    root = Path(os.path.realpath(claims.folder))
    raw = [entry.path for entry in claims.files] + ([claims.control] if claims.control else [])
    where: dict[str, Path] = {}
    refused: list[str] = []
    for path in raw:
        found = inside(root, claims.folder, path)
        if found is None:
            refused.append(path)
        else:
            where[path] = found
    disk: dict[str, OnDisk | None] = {}
    infos: dict[str, os.stat_result] = {}
    for path, found in where.items():
        fact, info = _on_disk_fact(found)
        disk[path] = fact
        if info is not None:
            infos[path] = info
    holders = _held_here(root, claims.folder, held, where)
    found_verdicts, control = verdicts(claims, disk, holders)
    owned: list[Owned] = []
    kept: list[Kept] = []
    folders: set[Path] = set()
    size = length = 0
    for verdict in [*found_verdicts, *([control] if control else [])]:
        target = where[verdict.path]
        if not verdict.owned:
            kept.append(Kept(str(target.relative_to(root)), verdict.reason))
            continue
        if any(o.path == target for o in owned):
            continue
        info = infos[verdict.path]
        is_control = verdict is control
        owned.append(Owned(target, _identity(info), verdict.by_control, control=is_control))
        size += _on_disk(info)
        length += info.st_size if stat.S_ISREG(info.st_mode) else 0
        folders.update(folders_between(root, target))
    return DeletionPlan(
        root, tuple(owned), tuple(refused), deepest_first(folders), size, tuple(kept), length
    )


def with_saved(
    plan: DeletionPlan, claims: Claims, holding: Holding, taken: set[Path]
) -> DeletionPlan:
    """``plan`` with the metadata aria2 saved for the torrent of ``claims`` (see
    :mod:`saved_metadata`): deleted with it when no other download uses it, else
    kept and said why. ``taken``: saved files another plan of this removal deletes
    already (each is counted once); the files added here join it."""
    if not claims.info_hash:
        return plan
    owned, kept = list(plan.owned), list(plan.kept)
    size, length = plan.size, plan.length
    for path, info in saved_files(claims.folder, claims.info_hash):
        if path in taken or inside(plan.folder, claims.folder, path.name) != path:
            continue
        holders = _held_here(plan.folder, claims.folder, holding.paths, {path.name: path})
        why = why_it_stays(claims.info_hash, holding, holders.get(path.name, ()))
        if why:
            kept.append(Kept(path.name, why))
            continue
        taken.add(path)
        owned.append(Owned(path, _identity(info)))
        size += _on_disk(info)
        length += info.st_size
    return replace(plan, owned=tuple(owned), kept=tuple(kept), size=size, length=length)


def _held_here(
    root: Path, folder: str, held: Mapping[str, Sequence[str]], where: dict[str, Path]
) -> dict[str, Sequence[str]]:
    """``held`` by the paths of ``where`` (as aria2 names them): a holder naming the
    same file another way (a symlinked folder, ``..``) holds it too."""
    names = {found.name for found in where.values()}
    resolved: dict[Path, Sequence[str]] = {}
    for path, others in held.items():
        if Path(path).name in names:
            same = inside(root, folder, path)
            if same is not None:
                resolved[same] = [*resolved.get(same, ()), *others]
    return {path: resolved[found] for path, found in where.items() if found in resolved}


@dataclass(slots=True)
class Deleted:
    """What :func:`delete` did."""

    files: int = 0
    folders: int = 0
    size: int = 0
    errors: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    """The files deleted, relative to the download's folder."""


def delete(plan: DeletionPlan) -> Deleted:
    """Remove the plan's files (only each one still the file looked at), then its
    folders that are empty. A file already gone is no error. Paths are checked again
    just before: a parent replaced by a symlink meanwhile, or a file swapped for
    another, is left alone and said."""
    done = Deleted()
    for owned in plan.owned:
        path = owned.path
        shown = path.relative_to(plan.folder)
        again = inside(plan.folder, str(plan.folder), str(path))
        if again != path:
            done.errors.append(f"{shown}: moved out of the download's folder, left alone")
            continue
        try:
            info = path.lstat()
            if not owned.unchanged(info):
                done.errors.append(f"{shown}: changed since it was looked at, left alone")
                continue
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            done.errors.append(f"{shown}: {exc.strerror or exc}")
            continue
        done.files += 1
        done.size += _on_disk(info)
        done.deleted.append(str(shown))
    done.folders = remove_empty(plan.folders)
    return done


def remove_empty(folders: Iterable[Path]) -> int:
    """Remove those of ``folders`` (deepest first) that are empty now; a symlink is
    never removed nor followed. How many went."""
    removed = 0
    for folder in folders:
        if folder.is_symlink():
            continue
        try:
            folder.rmdir()
        except OSError:
            continue  # not empty (someone else's files), or gone
        removed += 1
    return removed
