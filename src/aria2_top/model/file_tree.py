"""A download's files as a tree of folders, and the ``select-file`` option.

aria2 numbers files from 1 in ``getFiles`` order; ``select-file`` takes those
numbers as a list of ranges (``1-3,7``). Changing it on a running torrent makes
aria2 restart the download by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from aria2_top.model import fields
from aria2_top.model.downloads import uri_name


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of a download: aria2's 1-based index, path below the download dir."""

    index: int
    path: str
    length: int
    completed: int
    selected: bool

    @property
    def progress(self) -> float:
        return self.completed / self.length if self.length else 0.0


def relative_path(path: str, base_dir: str) -> str:
    """``path`` below ``base_dir`` with ``/`` separators; absolute paths elsewhere stay."""
    path = path.replace("\\", "/")
    base = base_dir.replace("\\", "/").rstrip("/")
    if base and path.startswith(base + "/"):
        return path[len(base) + 1 :]
    return path.lstrip("/")


def parse_files(files: object, base_dir: str) -> list[FileEntry]:
    """:class:`FileEntry` items from a getFiles reply; entries without a usable index
    are left out, unusable sizes count as 0."""
    entries = []
    for struct in fields.structs(files):
        index = fields.count(struct.get("index"))
        if not index:
            continue
        path = fields.text(struct.get("path")) or ""
        if not path:
            uris = fields.structs(struct.get("uris"))
            uri = fields.text(uris[0].get("uri")) if uris else None
            path = uri_name(uri) if uri else "?"
        entries.append(
            FileEntry(
                index=index,
                path=relative_path(path, base_dir),
                length=fields.count(struct.get("length")) or 0,
                completed=fields.count(struct.get("completedLength")) or 0,
                selected=struct.get("selected") == "true",
            )
        )
    return entries


@dataclass(slots=True)
class FileNode:
    """A folder (``entry`` None) or a file of the tree, with totals for folders."""

    name: str
    path: str
    entry: FileEntry | None = None
    children: dict[str, FileNode] = field(default_factory=dict)
    length: int = 0
    completed: int = 0
    indices: frozenset[int] = frozenset()
    """aria2 indices of every file at or below this node (set by :func:`build_tree`)."""


def build_tree(entries: Iterable[FileEntry]) -> FileNode:
    """Folders and files from the entries' paths, with folder totals summed up."""
    root = FileNode("", "")
    for entry in entries:
        node = root
        parts = [part for part in entry.path.split("/") if part]
        for depth, part in enumerate(parts[:-1]):
            node = node.children.setdefault(part, FileNode(part, "/".join(parts[: depth + 1])))
        leaf = parts[-1] if parts else "?"
        node.children[f"\0{entry.index}"] = FileNode(leaf, entry.path, entry)
    _sum(root)
    return root


def _sum(node: FileNode) -> None:
    if node.entry is not None:
        node.length, node.completed = node.entry.length, node.entry.completed
        node.indices = frozenset((node.entry.index,))
        return
    for child in node.children.values():
        _sum(child)
    node.length = sum(child.length for child in node.children.values())
    node.completed = sum(child.completed for child in node.children.values())
    node.indices = frozenset().union(*(child.indices for child in node.children.values()))


def toggled(selected: set[int], indices: frozenset[int]) -> set[int]:
    """Toggle a file or folder: all selected -> unselect them, else select them all."""
    return selected - indices if indices <= selected else selected | indices


def select_file_value(selected: Iterable[int]) -> str:
    """aria2's ``select-file`` text for these indices: ``1-3,7``."""
    numbers = sorted(set(selected))
    ranges: list[str] = []
    start = previous = None
    for number in numbers:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    if start is not None:
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
    return ",".join(ranges)
