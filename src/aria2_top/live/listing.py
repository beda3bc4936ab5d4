"""Every download a daemon knows, read page by page with a bound.

aria2 answers ``tellWaiting``/``tellStopped`` 1,000 entries at a time. A daemon that
lies (a page of new entries for any offset) must not make a reader loop forever:
pages stop at the count aria2 reported in ``getGlobalStat`` plus a margin, and at
:data:`MAX_DOWNLOADS` in all, and the reader is told when a list was cut short.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.rpc.client import Aria2Client, RpcCall, kind_of
from aria2_top.rpc.errors import Aria2ProtocolError, Aria2RpcError

PAGE_SIZE = 1000
MARGIN = PAGE_SIZE
"""Entries read past the count aria2 reported (downloads added meanwhile)."""
MAX_DOWNLOADS = 200_000
"""Downloads of one list read at most, whatever aria2 says (twice the 100,000 the app
is measured with; a lying count never makes it read more)."""


def page_bound(reported: int | None) -> int:
    """How many entries of a list to read at most when aria2 reports ``reported`` of
    them (None: it did not say; the total cap then)."""
    if reported is None:
        return MAX_DOWNLOADS
    return min(MAX_DOWNLOADS, max(reported, 0) + MARGIN)


def page_calls(method: str, count: int, keys: list[str]) -> list[RpcCall]:
    """The calls reading the first ``count`` entries of a list (at least one page)."""
    pages = max(1, -(-min(count, MAX_DOWNLOADS) // PAGE_SIZE))
    return [RpcCall(method, [i * PAGE_SIZE, PAGE_SIZE, keys]) for i in range(pages)]


def entries_of(page: object, method: str) -> list[Struct]:
    """A page of downloads; anything else is a bad reply."""
    if isinstance(page, Aria2RpcError):
        raise page
    if not isinstance(page, list):
        raise Aria2ProtocolError(f"{method} sent {kind_of(page)}, not a list of downloads")
    return fields.structs(page)


@dataclass(slots=True)
class Listing:
    """The downloads read, in aria2's order (running, waiting, stopped)."""

    active: list[Struct] = field(default_factory=list)
    waiting: list[Struct] = field(default_factory=list)
    stopped: list[Struct] = field(default_factory=list)
    cut_short: list[str] = field(default_factory=list)
    """The lists that went on past their bound: read up to it only."""

    @property
    def everything(self) -> list[Struct]:
        return [*self.active, *self.waiting, *self.stopped]


async def read_rest(
    client: Aria2Client,
    method: str,
    got: list[Struct],
    keys: list[str],
    bound: int,
) -> bool:
    """Read the pages of ``method`` past ``got`` (whose first pages were read) while
    each comes full, up to ``bound`` entries in all; True when the list went on past
    the bound (it was cut short)."""
    offset = len(got)
    while offset and offset % PAGE_SIZE == 0:
        if offset >= bound:
            return True
        page = entries_of(await client.call(method, offset, PAGE_SIZE, keys), method)
        if not page:
            break
        got += page[: max(0, bound - offset)]
        offset += len(page)
    return False


async def every_download(client: Aria2Client, keys: list[str]) -> Listing:
    """Every download of the daemon with ``keys``, paged and bounded (see the module
    docstring)."""
    stat, active = await client.multicall(
        [RpcCall("aria2.getGlobalStat"), RpcCall("aria2.tellActive", [keys])]
    )
    stat = stat if isinstance(stat, dict) else {}
    listing = Listing(active=entries_of(active, "aria2.tellActive"))
    reported = {
        "aria2.tellWaiting": fields.count(stat.get("numWaiting")),
        "aria2.tellStopped": fields.count(stat.get("numStopped")),
    }
    first_pages = {method: page_calls(method, (n or 0) + 1, keys) for method, n in reported.items()}
    replies: list[Any] = await client.multicall(
        [c for calls in first_pages.values() for c in calls]
    )
    index = 0
    for method, calls in first_pages.items():
        bound = page_bound(reported[method])
        got = [d for page in replies[index : index + len(calls)] for d in entries_of(page, method)]
        index += len(calls)
        del got[bound:]
        if await read_rest(client, method, got, keys, bound):
            listing.cut_short.append(method)
        if method == "aria2.tellWaiting":
            listing.waiting = got
        else:
            listing.stopped = got
    return listing
