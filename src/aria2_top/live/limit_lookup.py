"""Each download's own ↓/↑ limits, for the table's limit columns.

aria2 tells them only by ``getOption``, which answers with every option of the
download (a few KB each), so they are asked only while a limit column is shown, only
for downloads that can transfer (running or queued), and again only when the
download changed status or the resync time passed (another client may have set
them); at most :data:`MAX_PER_TICK` a tick, the rest at the next ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2RpcError

MAX_PER_TICK = 200
EVERY = 10.0
"""Seconds after which limits are asked again when the resync is 0 (every tick)."""
TRANSFERRING = frozenset({"active", "waiting", "paused"})
"""aria2's statuses whose limits mean something."""

Limits = tuple[int | None, int | None]
"""(↓ limit, ↑ limit) in bytes a second; 0: none; None: aria2 sent something unusable."""


@dataclass(slots=True)
class _Known:
    limits: Limits
    status: str
    at: float


class LimitLookup:
    """What the poller knows of each download's limits, and which to ask next."""

    def __init__(self) -> None:
        self.wanted = False
        """A limit column is shown: limits are looked up."""
        self._known: dict[str, _Known] = {}

    def of(self, gid: str) -> Limits | None:
        """The limits of ``gid`` as last asked (None: not asked)."""
        known = self._known.get(gid) if self.wanted else None
        return None if known is None else known.limits

    def due(self, present: Iterable[tuple[str, str]], now: float, every: float) -> list[str]:
        """The GIDs of ``present`` ((GID, aria2 status) pairs) to ask about now: new,
        moved to another status, or last asked ``every`` seconds ago or more."""
        if not self.wanted:
            return []
        due = []
        for gid, status in present:
            if status not in TRANSFERRING:
                continue
            known = self._known.get(gid)
            if known is None or known.status != status or (every and now - known.at >= every):
                due.append(gid)
                if len(due) == MAX_PER_TICK:
                    break
        return due

    @staticmethod
    def calls(gids: Sequence[str]) -> list[RpcCall]:
        return [RpcCall("aria2.getOption", [gid]) for gid in gids]

    def take(
        self, gids: Sequence[str], statuses: dict[str, str], results: Sequence[object], now: float
    ) -> set[str]:
        """Keep what aria2 answered; the GIDs whose limits are new or changed."""
        changed = set()
        for gid, result in zip(gids, results, strict=True):
            if isinstance(result, Aria2RpcError) or not isinstance(result, dict):
                self._known.pop(gid, None)  # gone meanwhile, or nonsense: asked again
                continue
            limits = (
                fields.count(result.get("max-download-limit")),
                fields.count(result.get("max-upload-limit")),
            )
            before = self._known.get(gid)
            self._known[gid] = _Known(limits, statuses.get(gid, ""), now)
            if before is None or before.limits != limits:
                changed.add(gid)
        return changed

    def ask_again(self, gids: Iterable[str]) -> None:
        """The limits of ``gids`` were just set: ask them at the next tick."""
        for gid in gids:
            self._known.pop(gid, None)

    def forget(self, present: Iterable[str]) -> None:
        """Drop what is known of downloads no longer there (all, when not wanted)."""
        if not self.wanted:
            self._known.clear()
            return
        keep = set(present)
        for gid in self._known.keys() - keep:
            del self._known[gid]
