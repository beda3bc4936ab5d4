"""One multicall for the details pane's tab of one download: the calls the model
names (:func:`aria2_top.model.tabs.calls_for`), aria2's refusals turned into the
model's :class:`~aria2_top.model.tabs.Refused` before the tab is read."""

from __future__ import annotations

from aria2_top.model.tabs import Refused, Tab, calls_for
from aria2_top.rpc.client import Aria2Client, RpcCall
from aria2_top.rpc.errors import Aria2RpcError


async def fetch_tab(client: Aria2Client, tab: Tab, gid: str) -> list[object]:
    """The replies that fill ``tab`` for ``gid`` (raises when aria2 cannot be asked)."""
    calls = [RpcCall(method, params) for method, params in calls_for(tab, gid)]
    replies = await client.multicall(calls)
    return [Refused(r.message) if isinstance(r, Aria2RpcError) else r for r in replies]
