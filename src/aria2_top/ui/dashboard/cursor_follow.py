"""Where the cursor goes when the rows change under it.

By default the cursor keeps its line and the download that takes it (as in htop).
It follows its download instead: always with F (htop's follow); for the download the
user just acted on, until a poll asked after the action, while it stays in its list
(a queue move); and a download added (or added again) gets the cursor once a
snapshot brings it, unless the user moved the cursor meanwhile."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aria2_top.model.downloads import Download, DownloadKey, Snapshot, group_of
from aria2_top.ui.dashboard.messages import Followed

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen


class CursorFollow:
    """Whether the next refresh keeps the cursor on its download, and where a
    download yet to be shown takes it."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen
        self.follow_mode = False
        """F: the cursor follows its download when a refresh moves it (htop's follow);
        off, it keeps its line and the download that takes it."""
        self._followed: Followed | None = None
        """The download the user just acted on: the cursor follows it through the
        refreshes until one asked after the action, while it stays in its list (a
        queue move); one that leaves its list (removed, paused, resumed) leaves its
        line to the row that takes the place, as in htop."""
        self._next = False
        """The next refresh follows (a snapshot since the last asked it to)."""
        self.pending: tuple[DownloadKey, int] | None = None
        """(the download to put the cursor on once shown, the cursor's moves when
        that was asked): dropped once the cursor was moved on purpose since."""

    def toggle_mode(self) -> None:
        self.follow_mode = not self.follow_mode

    def acted_on(self, targets: Sequence[Download]) -> None:
        """An action for ``targets`` begins: follow the focused one among them."""
        focused = self._screen.table.focused_key
        acted_on = next((d for d in targets if d.key == focused), None)
        if acted_on is not None:
            self._followed = Followed(acted_on.key, group_of(acted_on.status))

    def action_ended(self) -> None:
        if self._followed is not None and not self._followed.ended:
            self._followed.ended = time.monotonic()

    def snapshot_came(self, snapshot: Snapshot) -> None:
        self._next = self._next or self.follow_mode or self._follows(snapshot)

    def take_next(self) -> bool:
        """Whether this refresh follows (then the next one does not, unless asked)."""
        follow, self._next = self._next, False
        return follow

    def _follows(self, snapshot: Snapshot) -> bool:
        """Whether the cursor follows its download through this snapshot: it does for
        a download the user just acted on, until a poll sent after the action, as long
        as it stays in the list it was in (see :attr:`_followed`)."""
        followed = self._followed
        if followed is None:
            return False
        if followed.ended and snapshot.asked_at > followed.ended:
            self._followed = None
        screen = self._screen
        if followed.key != screen.table.focused_key:
            return False
        shot = screen.snapshots.get(followed.key.daemon)
        now = next((d for d in shot.downloads if d.key == followed.key), None) if shot else None
        if now is None or group_of(now.status) != followed.group:
            self._followed = None  # it left its list: its line goes to the next row
            return False
        return True

    def when_shown(self, key: DownloadKey) -> None:
        """Put the cursor on ``key`` as soon as a snapshot brings it."""
        screen = self._screen
        self.pending = (key, screen.table.moves)
        session = screen.session_named(key.daemon)
        if session is not None:
            session.wake()

    def focus_pending(self) -> None:
        """Put the cursor on the download asked for now that it is shown, unless the
        user moved the cursor since it was asked (then it stays where they put it)."""
        if self.pending is None:
            return
        key, moves = self.pending
        table = self._screen.table
        if table.moves != moves or table.focus_key(key):
            self.pending = None
