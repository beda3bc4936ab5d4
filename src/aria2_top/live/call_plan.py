"""Calls sent in one multicall, found again by name in the replies (never by their
place in the list, which changes with what a tick asks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aria2_top.rpc.client import RpcCall


class CallPlan:
    """Calls under names, in the order they go; :meth:`read` splits the replies."""

    def __init__(self) -> None:
        self.calls: list[RpcCall] = []
        self._places: dict[str, slice] = {}

    def add(self, name: str, *calls: RpcCall) -> None:
        """Send ``calls`` under ``name`` (one call, or several: a list's pages)."""
        start = len(self.calls)
        self.calls += calls
        self._places[name] = slice(start, len(self.calls))

    def read(self, results: Sequence[Any]) -> Replies:
        """The replies to :attr:`calls`, by name."""
        return Replies({name: list(results[place]) for name, place in self._places.items()})


class Replies:
    """The replies of a :class:`CallPlan`, by name."""

    def __init__(self, by_name: dict[str, list[Any]]) -> None:
        self._by_name = by_name

    def one(self, name: str) -> Any:
        """The reply to the one call under ``name``."""
        (reply,) = self._by_name[name]
        return reply

    def many(self, name: str) -> list[Any]:
        """The replies to the calls under ``name`` (none if nothing was sent)."""
        return self._by_name.get(name, [])

    def has(self, name: str) -> bool:
        return name in self._by_name
