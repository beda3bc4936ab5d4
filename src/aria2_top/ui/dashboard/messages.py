"""What the daemons' sessions tell the dashboard, and the record of an action a
daemon did not answer in time."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from aria2_top.live.poll_state import PollStatus
from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import Download, DownloadKey, Snapshot


class SnapshotArrived(Message):
    """A daemon's poller has new data; only its newest one waiting is handled."""

    def __init__(self, session: DaemonSession, snapshot: Snapshot) -> None:
        super().__init__()
        self.session = session
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotArrived) and message.session is self.session


class PollStatusChanged(Message):
    def __init__(self, session: DaemonSession, status: PollStatus) -> None:
        super().__init__()
        self.session = session
        self.status = status


class EventsLive(Message):
    """A daemon's notification listener connected (True) or lost its link."""

    def __init__(self, session: DaemonSession, live: bool) -> None:
        super().__init__()
        self.session = session
        self.live = live


@dataclass(frozen=True, slots=True)
class Unanswered:
    """An action a daemon did not answer in time: it may still apply."""

    what: str
    daemon: str
    targets: tuple[Download, ...]
    gave_up_at: float


@dataclass(slots=True)
class Followed:
    """The download under the cursor that an action was for, and the list it was in
    (see :func:`aria2_top.model.downloads.group_of`)."""

    key: DownloadKey
    group: str
    ended: float = 0.0
    """``time.monotonic()`` when the action ended (0: under way)."""
