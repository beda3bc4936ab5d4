"""M: move finished downloads' files to another folder, never over a file there.

The files keep their place below the download's folder (``album/cd1/01.flac`` goes
to ``<target>/album/cd1/01.flac``). Only files inside the download's own folder move
(see :mod:`local_files`); the folders left empty behind them go. A rename where the
folder is on the same disk, else a copy with progress, then the original is removed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.ops.local_files import deepest_first, folders_between, remove_empty, resolved

CHUNK = 4 * 2**20


@dataclass(frozen=True, slots=True)
class MovePlan:
    """Which file goes where, decided (and shown) before anything moves."""

    moves: tuple[tuple[Path, Path], ...]
    folders: tuple[Path, ...] = ()
    """Folders the files leave, deepest first: removed if empty after."""
    refused: tuple[str, ...] = ()
    """Paths outside the download's folder: left alone."""
    taken: tuple[Path, ...] = ()
    """Destinations where something exists already: nothing moves then."""
    size: int = 0


def plan_move(folder: str, paths: Iterable[str], target: str) -> MovePlan:
    """Where each of ``paths`` (a download's files) would go below ``target``."""
    root, found_paths, refused = resolved(folder, paths)
    goal = Path(os.path.realpath(target))
    moves: list[tuple[Path, Path]] = []
    folders: set[Path] = set()
    taken: list[Path] = []
    size = 0
    for found in found_paths:
        try:
            info = found.lstat()
        except OSError:
            continue  # not here (an unselected file never fetched)
        if not stat.S_ISREG(info.st_mode):
            refused.append(str(found))  # a symlink or a folder: not ours to carry
            continue
        destination = goal / found.relative_to(root)
        if destination.exists() or destination.is_symlink():
            taken.append(destination)
        moves.append((found, destination))
        size += info.st_size
        folders.update(folders_between(root, found))
    return MovePlan(tuple(moves), deepest_first(folders), tuple(refused), tuple(taken), size)


@dataclass(slots=True)
class Moved:
    files: int = 0
    size: int = 0
    errors: list[str] = field(default_factory=list)


def _copy(source: Path, destination: Path, progress: Callable[[int], object]) -> None:
    """Copy into a new file (never over one), reporting bytes as they go."""
    with source.open("rb") as reader, destination.open("xb") as writer:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            progress(len(chunk))
    os.utime(destination, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))


def move(plan: MovePlan, progress: Callable[[int], object] = lambda _n: None) -> Moved:
    """Carry out ``plan`` (nothing when a destination is taken); ``progress`` gets the
    bytes moved as they go."""
    done = Moved()
    if plan.taken:
        done.errors += [f"{path} exists: nothing was moved" for path in plan.taken[:3]]
        return done
    for source, destination in plan.moves:
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists() or destination.is_symlink():
                raise FileExistsError(f"{destination} exists")
            size = source.stat().st_size
            try:
                os.link(source, destination)  # same disk: atomic, never over a file
            except OSError:
                _copy(source, destination, progress)
            else:
                progress(size)
            source.unlink()
        except OSError as exc:
            done.errors.append(f"{source}: {exc.strerror or exc}")
            continue
        done.files += 1
        done.size += size
    remove_empty(plan.folders)
    return done
