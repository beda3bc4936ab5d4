"""A download's files on this machine: whether they are here, and deleting them safely.

A daemon is *local* when its URL is loopback and its download folder exists on this
machine; file actions are offered for local daemons only. Every path from aria2 is
untrusted: it is resolved before anything happens, only what lies inside the
download's own folder (its ``dir``) is ever touched, a symlink is removed itself and
never followed, and a folder is only ever removed when it is empty.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aria2_top.rpc.client import is_loopback_host

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
CONTROL_SUFFIX = ".aria2"


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` names this machine (127.0.0.0/8, ::1 or localhost)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if not host:
        return False
    return host.lower() in LOOPBACK_NAMES or is_loopback_host(host)


def is_local(url: str, folder: str | None) -> bool:
    """Whether a daemon at ``url`` whose download folder is ``folder`` keeps its files
    on this machine (its URL is loopback and the folder exists here)."""
    return bool(folder) and is_loopback_url(url) and Path(str(folder)).is_dir()


def control_file(folder: str, paths: Sequence[str], torrent_name: str | None) -> str | None:
    """aria2's ``.aria2`` control file of a download: ``<dir>/<torrent name>.aria2``
    for a torrent, else next to its first file."""
    if torrent_name:
        return str(Path(folder, torrent_name + CONTROL_SUFFIX))
    first = next((p for p in paths if p), None)
    return first + CONTROL_SUFFIX if first else None


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
class DeletionPlan:
    """What deleting a download's data would remove, decided before anything is."""

    folder: Path
    files: tuple[Path, ...]
    """Files and symlinks that exist, inside the folder (a symlink itself, not its
    target); the control file among them."""
    refused: tuple[str, ...] = ()
    """Paths aria2 gave that lie outside the download's folder: left alone."""
    folders: tuple[Path, ...] = ()
    """Folders that held the files, deepest first: removed only if empty after."""
    size: int = 0
    """Bytes the files take on disk."""

    def shown_paths(self, count: int) -> list[str]:
        """The first ``count`` files, relative to the download's folder."""
        return [str(path.relative_to(self.folder)) for path in self.files[:count]]


def plan_deletion(folder: str, paths: Iterable[str], control: str | None) -> DeletionPlan:
    """What deleting the files ``paths`` (and ``control``) of a download whose folder
    is ``folder`` would remove: only files inside the folder (never the folder itself)."""
    root, found_paths, refused = resolved(folder, [*paths, *([control] if control else [])])
    files: list[Path] = []
    folders: set[Path] = set()
    size = 0
    for found in found_paths:
        folders.update(folders_between(root, found))
        try:
            info = found.lstat()
        except OSError:
            continue  # already gone: nothing to do
        if stat.S_ISDIR(info.st_mode) or found in files:
            continue  # a folder is only removed when empty, below
        files.append(found)
        size += _on_disk(info)
    return DeletionPlan(root, tuple(files), tuple(refused), deepest_first(folders), size)


@dataclass(slots=True)
class Deleted:
    """What :func:`delete` did."""

    files: int = 0
    folders: int = 0
    size: int = 0
    errors: list[str] = field(default_factory=list)


def delete(plan: DeletionPlan) -> Deleted:
    """Remove the plan's files (a symlink itself), then its folders that are empty.
    A file already gone is no error. Paths are checked again just before: a parent
    replaced by a symlink meanwhile is refused."""
    done = Deleted()
    for path in plan.files:
        again = inside(plan.folder, str(plan.folder), str(path))
        if again != path:
            done.errors.append(f"{path}: moved out of the download's folder, left alone")
            continue
        try:
            size = _on_disk(path.lstat())
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            done.errors.append(f"{path}: {exc.strerror or exc}")
            continue
        done.files += 1
        done.size += size
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
