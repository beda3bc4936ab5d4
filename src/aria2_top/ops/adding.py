"""Sending checked :class:`AddItem` s to aria2: all of them, or none.

Every item goes in one multicall. If aria2 refuses any of them, the ones it took
are removed again, so a failed Add never leaves half of the list behind.

Every download is added with ``continue=false`` and ``allow-overwrite=false``
(unless its own option lines say otherwise): with ``continue=true``, which many
aria2 setups have, aria2 takes an unrelated file of the same name for a partial
download and writes into it. aria2 resumes its own partial downloads from their
``.aria2`` control files either way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from aria2_top.model import fields
from aria2_top.model.format import safe_text
from aria2_top.ops.add_input import AddItem, LineProblem
from aria2_top.rpc.client import (
    Aria2Client,
    RpcCall,
    add_metalink_call,
    add_torrent_call,
    add_uri_call,
)
from aria2_top.rpc.errors import Aria2Error, Aria2RpcError

SAFE_DEFAULTS = {"continue": "false", "allow-overwrite": "false"}
"""Options every added download gets unless told otherwise (see the module docstring)."""


@dataclass(slots=True)
class AddOutcome:
    """The GIDs added (in the order of the text), or why nothing was."""

    gids: list[str] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def call_for(item: AddItem, options: dict[str, str], position: int | None) -> RpcCall:
    """The add call of one item."""
    if item.kind == "torrent":
        return add_torrent_call(item.data, (), options, position)
    if item.kind == "metalink":
        return add_metalink_call(item.data, options, position)
    return add_uri_call(item.uris, options, position)


async def add_all(
    client: Aria2Client,
    items: Sequence[AddItem],
    options: dict[str, str] | None = None,
    *,
    top: bool = False,
) -> AddOutcome:
    """Add every item with ``options`` (an item's own options win).

    With ``top``, the items go to the front of the queue in the order given.
    """
    ordered = list(reversed(items)) if top else list(items)
    calls = [
        call_for(item, {**SAFE_DEFAULTS, **(options or {}), **item.options}, 0 if top else None)
        for item in ordered
    ]
    replies = await client.multicall(calls)
    outcome = AddOutcome()
    added: dict[int, list[str]] = {}
    for item, reply in zip(ordered, replies, strict=True):
        if isinstance(reply, Aria2RpcError):
            outcome.problems.append(
                LineProblem(item.line, f"aria2 refused it: {safe_text(reply.message)}")
            )
            continue
        gids = reply if isinstance(reply, list) else [reply]
        added[item.line] = [gid for gid in gids if fields.is_gid(gid)]
        if not gids or len(added[item.line]) != len(gids):
            outcome.problems.append(LineProblem(item.line, "aria2 sent no valid GID for it"))
    if outcome.problems:
        await _roll_back([gid for gids in added.values() for gid in gids], client)
        return outcome
    outcome.gids = [gid for item in items for gid in added[item.line]]
    return outcome


async def _roll_back(gids: list[str], client: Aria2Client) -> None:
    """Remove what a failed Add did add (best effort: it was just added)."""
    if not gids:
        return
    with contextlib.suppress(Aria2Error):
        await client.multicall([RpcCall("aria2.forceRemove", [gid]) for gid in gids])
        await client.multicall([RpcCall("aria2.removeDownloadResult", [gid]) for gid in gids])
