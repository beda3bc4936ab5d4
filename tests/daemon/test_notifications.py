"""The WebSocket notification listener against real aria2c daemons."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from aria2_top.daemon.process import RunningDaemon, free_port
from aria2_top.rpc.notifications import (
    ConnectionState,
    ListenerEvent,
    ListenerStatus,
    Notification,
    NotificationKind,
    NotificationListener,
)
from tests.conftest import DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient


class Recorder:
    """Runs a listener in a task and keeps every event it yields."""

    def __init__(self, listener: NotificationListener) -> None:
        self.listener = listener
        self.events: list[ListenerEvent] = []
        self._changed = asyncio.Event()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self.listener.events():
            self.events.append(event)
            self._changed.set()

    async def wait_for(self, wanted: ListenerEvent, *, after: int = 0, timeout: float = 20) -> int:
        """Wait until ``wanted`` is among the events from index ``after``; return its index."""
        async with asyncio.timeout(timeout):
            while True:
                with contextlib.suppress(ValueError):
                    return self.events.index(wanted, after)
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_state(self, state: ConnectionState, *, after: int = 0) -> int:
        async with asyncio.timeout(20):
            while True:
                for index, event in enumerate(self.events[after:], after):
                    if isinstance(event, ListenerStatus) and event.state is state:
                        return index
                self._changed.clear()
                await self._changed.wait()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def recorder(daemon: RunningDaemon) -> AsyncIterator[Recorder]:
    recorder = Recorder(NotificationListener(daemon.url, ping_interval=0.2))
    await recorder.wait_for_state(ConnectionState.CONNECTED)
    yield recorder
    await recorder.close()


async def test_start_complete_and_error(
    recorder: Recorder, client: TestClient, files: FileServer
) -> None:
    done = await client.add_uri([files.make_file("small.bin", 2048)])
    await recorder.wait_for(Notification(NotificationKind.START, done))
    await recorder.wait_for(Notification(NotificationKind.COMPLETE, done))
    failed = await client.add_uri([files.url("does-not-exist.bin")])
    await recorder.wait_for(Notification(NotificationKind.ERROR, failed))


async def test_pause_and_stop(recorder: Recorder, client: TestClient, files: FileServer) -> None:
    gid = await client.add_uri([files.make_file("big.bin", 1 << 20)], {"max-download-limit": "20K"})
    await recorder.wait_for(Notification(NotificationKind.START, gid))
    await client.pause(gid)
    await recorder.wait_for(Notification(NotificationKind.PAUSE, gid))
    await client.unpause(gid)
    await client.remove(gid)
    await recorder.wait_for(Notification(NotificationKind.STOP, gid))


async def test_pings_do_not_break_the_stream(
    recorder: Recorder, client: TestClient, files: FileServer
) -> None:
    """aria2 answers every ping with a stray error message; the listener skips it."""
    url = files.make_file("ping.bin", 1 << 20)
    # Several ping intervals of 0.2 s pass while these downloads come and go.
    for _ in range(3):
        gid = await client.add_uri([url], {"max-download-limit": "20K"})
        await recorder.wait_for(Notification(NotificationKind.START, gid))
        await client.force_remove(gid)
        await recorder.wait_for(Notification(NotificationKind.STOP, gid))
    assert all(isinstance(e, Notification | ListenerStatus) for e in recorder.events)
    assert recorder.listener.state is ConnectionState.CONNECTED


async def test_survives_daemon_restart_on_same_port(
    daemons: DaemonFactory, files: FileServer
) -> None:
    port = free_port()
    first = await daemons.start(port=port, name="first")
    recorder = Recorder(NotificationListener(first.url, min_backoff=0.1, max_backoff=0.4))
    try:
        connected = await recorder.wait_for_state(ConnectionState.CONNECTED)
        first.kill()
        down = await recorder.wait_for_state(ConnectionState.DISCONNECTED, after=connected)
        status = recorder.events[down]
        assert isinstance(status, ListenerStatus) and status.retry_in is not None
        second = await daemons.start(port=port, name="second")
        await recorder.wait_for_state(ConnectionState.CONNECTED, after=down)
        async with TestClient(second.url, second.secret) as rpc:
            gid = await rpc.add_uri([files.make_file("again.bin", 2048)])
        await recorder.wait_for(Notification(NotificationKind.COMPLETE, gid))
    finally:
        await recorder.close()
