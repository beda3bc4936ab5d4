"""Streaming a torrent from its start. aria2 offers only ``bt-prioritize-piece``
(``head=SIZE``: the pieces of each file's first SIZE bytes first, in random order
among them) and takes a change of it by restarting the download. So the head is a
window that moves forward: it starts small, so that playing can begin early, and
once every piece in it is here (what is playable reached its end) it is set again,
reaching the download speed's worth of :data:`WINDOW_SECONDS` past what plays. Each
move restarts the torrent (a second or two without data on a loopback swarm), so
the window is large enough that this happens rarely. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIRST_WINDOW = 8 * 2**20
"""Bytes of the head asked first: enough to begin playing."""
TAIL = 2 * 2**20
"""Bytes of the file's end asked early (players read a container's index there)."""
WINDOW_SECONDS = 10.0
"""Each move asks this many seconds of download ahead of what plays."""
MAX_WINDOW = 512 * 2**20
"""A window no larger than this, however fast."""
_HEAD = re.compile(r"(?:^|,)\s*head(?:=(\d+)([KkMm]?))?\s*(?:,|$)")
_UNITS = {"": 1, "k": 1024, "m": 2**20}


def window_option(head: int, tail: int | None = None) -> str:
    """The ``bt-prioritize-piece`` value for a head window reaching ``head`` bytes
    and the last ``tail`` bytes (default :data:`TAIL`): ``head=24576K,tail=2048K``
    (aria2 reads K and M)."""
    return f"head={_kib(head)}K,tail={_kib(TAIL if tail is None else tail)}K"


def _kib(size: int) -> int:
    return max(1, -(-size // 1024))


def head_of(option: object) -> int | None:
    """The head window of a ``bt-prioritize-piece`` value in bytes (``head`` alone:
    aria2's default of 1M); None when it asks no head (streaming off, or not ours)."""
    if not isinstance(option, str) or len(option) > 200:
        return None
    found = _HEAD.search(option)
    if found is None:
        return None
    digits, unit = found.groups()
    if digits is None:
        return 2**20
    if len(digits) > 15:
        return None
    return int(digits) * _UNITS[unit.lower()]


@dataclass(frozen=True, slots=True)
class WindowState:
    """Where a streamed torrent's chosen file stands against its head window."""

    head: int
    """Bytes of each file's start the window asks for now."""
    playable: int
    """Bytes of the chosen file here without a gap from its start."""
    length: int
    """The chosen file's length."""
    piece_length: int
    speed: int
    """Its download speed now (bytes a second)."""


def next_head(state: WindowState) -> int | None:
    """The head window to ask next, or None to leave it: it moves once what plays has
    reached its end (the window is done: a piece short of it counts), and never for
    a file that is whole or whose window already reaches its end."""
    piece = max(1, state.piece_length)
    if state.length <= 0 or state.playable >= state.length or state.head >= state.length:
        return None
    if state.playable + piece < state.head:
        return None
    ahead = int(max(0, state.speed) * WINDOW_SECONDS)
    window = min(MAX_WINDOW, max(FIRST_WINDOW, ahead, 2 * piece))
    return min(state.length, max(state.head, state.playable) + window)
