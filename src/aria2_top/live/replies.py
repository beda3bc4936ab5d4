"""Reading a poll's replies without trusting them: a part of the wrong type is named
in the bar (and left out); a list of downloads of the wrong shape makes the whole
poll a bad reply, so that the table keeps its last rows rather than lose some."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.rpc.client import kind_of
from aria2_top.rpc.errors import Aria2ProtocolError, Aria2RpcError


class Problems(list[str]):
    """What was wrong with one reply, one line each (the bar shows them)."""

    def wrong_type(self, method: str, value: object, wanted: str) -> None:
        self.append(f"{method} sent {kind_of(value)}, not {wanted}: its part is left out")


def object_of(value: object, method: str, problems: Problems) -> Struct:
    """An object (statistics, options): anything else is named, and empty."""
    if isinstance(value, dict):
        return value
    problems.wrong_type(method, value, "an object")
    return {}


def downloads_of(value: object, method: str) -> list[Struct]:
    """A list of downloads; anything else makes the poll a bad reply."""
    if not isinstance(value, list):
        raise Aria2ProtocolError(f"{method} sent {kind_of(value)}, not a list of downloads")
    entries = fields.structs(value)
    if len(entries) != len(value):
        raise Aria2ProtocolError(
            f"{method} sent {len(value) - len(entries)} entries that are not downloads"
        )
    return entries


def fail_on_refusal(results: Sequence[Any]) -> None:
    """The poll's calls all make one picture: one aria2 refused fails the poll."""
    for result in results:
        if isinstance(result, Aria2RpcError):
            raise result
