"""A message too large to be a notification counts as a flood (fake daemon)."""

from __future__ import annotations

import asyncio
import contextlib

from aria2_top.rpc.notifications import (
    MAX_MESSAGE_SIZE,
    ConnectionState,
    Flood,
    ListenerStatus,
    NotificationListener,
)
from tests.support.fake_daemon import FakeDaemon


async def test_a_message_too_large_to_be_a_notification_is_a_flood(fake: FakeDaemon) -> None:
    listener = NotificationListener(fake.url, min_backoff=0.05, max_backoff=0.05)
    seen: list[object] = []
    async with asyncio.timeout(10), contextlib.aclosing(listener.events()) as events:
        async for event in events:
            seen.append(event)
            if isinstance(event, ListenerStatus) and event.state is ConnectionState.CONNECTED:
                fake.send_ws_raw("x" * (MAX_MESSAGE_SIZE + 1))
            if isinstance(event, ListenerStatus) and event.state is ConnectionState.DISCONNECTED:
                break
    assert Flood(1, MAX_MESSAGE_SIZE) in seen
    last = seen[-1]
    assert isinstance(last, ListenerStatus) and "not a notification" in (last.error or "")
