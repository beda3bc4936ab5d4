"""Files tab: the download's files as a tree; Space stages a (de)selection of a file
or a whole folder, ``A`` applies it with ``changeOption select-file``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from aria2_top.model import format as fmt
from aria2_top.model.downloads import DownloadKey
from aria2_top.model.file_tree import FileEntry, FileNode, build_tree, select_file_value, toggled
from aria2_top.model.selection_wait import APPLY_NOW
from aria2_top.ui.tones import tone
from aria2_top.ui.widgets.text_line import TextLine

CHECKED, UNCHECKED, PARTLY = "☑", "☐", "◩"


def node_label(node: FileNode, selected: set[int]) -> Text:
    """``☑ name  12.0M  45%``; folders show their totals and a mixed mark."""
    indices = node.indices
    chosen = len(indices & selected)
    mark = CHECKED if chosen == len(indices) else UNCHECKED if chosen == 0 else PARTLY
    style = "" if chosen else "dim"
    text = Text(f"{mark} ", style="bold" if chosen else "dim")
    text.append(fmt.safe_text(node.name) + ("/" if node.entry is None else ""), style=style)
    share = node.completed / node.length if node.length else 0.0
    text.append(f"  {fmt.size(node.length)}  {fmt.percent(share)}", style="dim")
    return text


class FileTree(Tree[FileNode]):
    """A Tree whose Space toggles the selection instead of expanding."""

    BINDINGS = [  # priority: ahead of the app's Space (tag), in order (ui/focus.py)
        Binding(
            "space",
            "toggle_selection",
            "Select/unselect",
            show=True,
            priority=True,
            id="aria2-top.files.select",
        ),
        Binding(
            "A", "apply", "Apply selection", show=True, priority=True, id="aria2-top.files.apply"
        ),
        Binding("R", "revert", "Revert", show=False, priority=True, id="aria2-top.files.revert"),
    ]

    def action_toggle_selection(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            parent = self.parent
            assert isinstance(parent, FilesTab)
            parent.toggle(node.data)
            self._to_next_at_same_level(node)

    def _to_next_at_same_level(self, node: TreeNode[FileNode]) -> None:
        """As htop's tag moves down: to the next row at this level (past an open
        folder's files), else to the next row of a level above; the last row stays."""
        here: TreeNode[FileNode] | None = node
        while here is not None:
            after = here.next_sibling
            if after is not None and after.line >= 0:
                self.move_cursor(after)
                return
            here = here.parent

    def action_apply(self) -> None:
        parent = self.parent
        assert isinstance(parent, FilesTab)
        parent.apply()

    def action_revert(self) -> None:
        parent = self.parent
        assert isinstance(parent, FilesTab)
        parent.revert()


EAGER_FILES = 200
"""Up to this many files the whole tree is made at once (and opened)."""


class FilesTab(Vertical):
    """The tree plus a line that says what is staged."""

    class ApplySelection(Message):
        """Ask the app to set ``select-file`` of download ``key`` to ``value``."""

        def __init__(self, key: DownloadKey, value: str, count: int) -> None:
            super().__init__()
            self.key = key
            self.value = value
            self.count = count

    class ApplyNow(Message):
        """Ask the app to apply now the selection aria2 applies later (``A`` again)."""

        def __init__(self, key: DownloadKey) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key: DownloadKey | None = None
        self.entries: list[FileEntry] = []
        self.applied: set[int] = set()
        self.staged: set[int] | None = None
        self._root: FileNode | None = None
        self._tree_nodes: dict[str, TreeNode[FileNode]] = {}
        self._labels: dict[str, Text] = {}
        self._lazy = False
        self.hold: tuple[DownloadKey, str] | None = None
        """(download, why) while a selection applied to it waits for aria2."""

    def compose(self) -> ComposeResult:
        yield TextLine(id="files-status")
        tree: FileTree = FileTree(Text("files"), id="files-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree

    @property
    def file_tree(self) -> FileTree:
        return self.query_one(FileTree)

    @property
    def selected(self) -> set[int]:
        return self.applied if self.staged is None else self.staged

    def show(self, key: DownloadKey, entries: list[FileEntry]) -> None:
        """Show ``entries`` of ``key``: rebuild on a new download or file list, else relabel."""
        if key == self.key and entries == self.entries:
            return  # nothing moved (a paused or finished download): no work at all
        shape = [(e.index, e.path) for e in entries]
        rebuild = key != self.key or shape != [(e.index, e.path) for e in self.entries]
        if key != self.key:
            self.staged = None
        self.key, self.entries = key, entries
        self.applied = {e.index for e in entries if e.selected}
        self._root = build_tree(entries)
        if rebuild:
            self._build()
        else:
            self._relabel()
        self._show_status()

    def _build(self) -> None:
        """The tree afresh. With many files, a folder's nodes are made only when it is
        first opened: a 10,000-file torrent opens at once."""
        tree = self.file_tree
        tree.clear()
        self._tree_nodes.clear()
        self._labels.clear()
        assert self._root is not None
        self._lazy = len(self.entries) > EAGER_FILES
        self._grow(tree.root, self._root)
        tree.cursor_line = 0

    def _grow(self, parent: TreeNode[FileNode], node: FileNode) -> None:
        """Nodes for ``node``'s children under ``parent``: all the way down with few
        files; one level, folders closed, with many (a lone folder is opened)."""
        children = sorted(node.children.values(), key=lambda n: (n.entry is not None, n.name))
        for child in children:
            label = node_label(child, self.selected)
            if child.entry is None:
                opened = not self._lazy or len(children) == 1
                branch = parent.add(label, data=child, expand=opened, allow_expand=True)
                if not self._lazy or opened:
                    self._grow(branch, child)
                tree_node = branch
            else:
                tree_node = parent.add_leaf(label, data=child)
            self._tree_nodes[child.path] = tree_node
            self._labels[child.path] = label

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[FileNode]) -> None:
        """A folder opened for the first time gets its nodes now."""
        node, folder = event.node, event.node.data
        if self._lazy and folder is not None and folder.entry is None and not node.children:
            self._grow(node, folder)

    def _relabel(self, under: FileNode | None = None) -> None:
        """Update the labels whose text changed: everywhere, or only in the subtree
        ``under`` and its folders above (all that a toggle there can change)."""
        assert self._root is not None
        if under is None:
            stack = list(self._root.children.values())
        else:
            stack = [under, *self._ancestors(under.path)]
        while stack:
            node = stack.pop()
            if under is None or node.path == under.path or node.path.startswith(under.path + "/"):
                stack.extend(node.children.values())
            label = node_label(node, self.selected)
            if self._labels.get(node.path) != label and node.path in self._tree_nodes:
                self._labels[node.path] = label
                tree_node = self._tree_nodes[node.path]
                tree_node.data = node
                tree_node.set_label(label)

    def _ancestors(self, path: str) -> list[FileNode]:
        """The folders that hold ``path``, from the top."""
        assert self._root is not None
        found, node = [], self._root
        for part in path.split("/")[:-1]:
            child = node.children.get(part)
            if child is None:
                break
            found.append(child)
            node = child
        return found

    def toggle(self, node: FileNode) -> None:
        """Stage the (de)selection of a file or a folder."""
        after = toggled(self.selected, node.indices)
        self.staged = None if after == self.applied else after
        self._relabel(under=node)
        self._show_status()

    def set_hold(self, hold: tuple[DownloadKey, str] | None) -> None:
        """Say why the applied selection of a download does not show yet (None: it does)."""
        if hold != self.hold:
            self.hold = hold
            if self.key is not None:
                self._show_status()

    def apply(self) -> None:
        if self.staged is None and self.hold is not None and self.hold[0] == self.key:
            self.post_message(self.ApplyNow(self.hold[0]))
            return
        if self.staged is None or self.key is None:
            self.app.notify("nothing to apply: toggle files with Space first")
            return
        self.post_message(
            self.ApplySelection(self.key, select_file_value(self.staged), len(self.staged))
        )

    def revert(self) -> None:
        self.staged = None
        self._relabel()
        self._show_status()

    def applied_now(self) -> None:
        """The app applied the staged selection: wait for aria2's files to show it."""
        self.staged = None
        self._show_status()

    def _show_status(self) -> None:
        total = len(self.entries)
        chosen = len(self.selected)
        size = sum(e.length for e in self.entries if e.index in self.selected)
        text = Text(f"{chosen} of {total} files selected ({fmt.size(size)})")
        if self.staged is not None:
            text.append(
                "  changed: A applies (aria2 restarts the download), R reverts",
                style=tone("bold warn"),
            )
        elif self.hold is not None and self.hold[0] == self.key:
            text.append(f"  {self.hold[1]}; {APPLY_NOW}", style=tone("bold warn"))
        else:
            text.append("  Space selects or unselects a file or folder", style="dim")
        self.query_one("#files-status", TextLine).set_text(text)
