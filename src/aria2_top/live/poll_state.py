"""How a daemon's last poll went, as the stats bar and the fleet show it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PollState(StrEnum):
    """How the last poll went."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    BAD_REPLY = "bad reply"
    AUTH_FAILED = "authentication failed"


@dataclass(frozen=True, slots=True)
class PollStatus:
    """The poller's state; when it failed, the error in words and when the next try
    starts (``time.monotonic()`` time)."""

    state: PollState
    retry_at: float | None = None
    error: str | None = None
