"""The selection: the tagged downloads (Space, t, T, u, as in htop), and whom an
action is for (the tagged downloads, else the one under the cursor)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from aria2_top.model.downloads import Download, DownloadKey


class Selection:
    """The tags, by download, kept while the downloads are."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self.tagged: set[DownloadKey] = set()
        self._changed = changed
        """Called when a key changed the tags (the table shows them again)."""

    def __len__(self) -> int:
        return len(self.tagged)

    def toggle(self, key: DownloadKey) -> None:
        self.tagged ^= {key}
        self._changed()

    def clear(self) -> None:
        self.tagged.clear()
        self._changed()

    def tag(self, downloads: Iterable[Download]) -> None:
        """Tag ``downloads`` (the tags of others stay)."""
        self.tagged |= {d.key for d in downloads}
        self._changed()

    def invert(self, downloads: Iterable[Download]) -> None:
        """Tag the untagged of ``downloads`` and untag the tagged."""
        self.tagged ^= {d.key for d in downloads}
        self._changed()

    def drop(self, keys: Iterable[DownloadKey]) -> None:
        """Untag downloads an action is done with (removed, added again): the table
        shows it with the next snapshot."""
        self.tagged -= set(keys)

    def keep_known(self, downloads: Sequence[Download]) -> None:
        """Forget the tags of downloads aria2 no longer has."""
        if self.tagged:
            self.tagged &= {d.key for d in downloads}

    def targets(self, downloads: Sequence[Download], focused: Download | None) -> list[Download]:
        """The tagged downloads, else the one under the cursor."""
        if self.tagged:
            return [d for d in downloads if d.key in self.tagged]
        return [focused] if focused is not None else []
