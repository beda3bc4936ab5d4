"""Notifications without a daemon: parsing them, the WebSocket URL, the listener's back-off."""

from __future__ import annotations

from aria2_top.daemon.process import free_port
from aria2_top.rpc.notifications import (
    ConnectionState,
    ListenerStatus,
    Notification,
    NotificationKind,
    NotificationListener,
    parse_notification,
    websocket_url,
)


async def test_backoff_grows_and_is_capped() -> None:
    listener = NotificationListener(
        f"http://127.0.0.1:{free_port()}/jsonrpc", min_backoff=0.01, max_backoff=0.04
    )
    delays: list[float] = []
    async for event in listener.events():
        if isinstance(event, ListenerStatus) and event.state is ConnectionState.DISCONNECTED:
            assert event.retry_in is not None and event.error
            delays.append(event.retry_in)
            if len(delays) == 5:
                break
    assert delays == [0.01, 0.02, 0.04, 0.04, 0.04]


def test_parse_notification() -> None:
    message = '{"jsonrpc":"2.0","method":"aria2.onBtDownloadComplete","params":[{"gid":"abc"}]}'
    assert parse_notification(message) == Notification(NotificationKind.BT_COMPLETE, "abc")
    assert parse_notification('{"id":null,"jsonrpc":"2.0","error":{"code":-32600}}') is None
    assert parse_notification("not json") is None
    assert parse_notification('{"method":"aria2.onDownloadStart","params":[]}') is None
    assert parse_notification('{"method":"aria2.onDownloadStart","params":[{"gid":5}]}') is None


def test_websocket_url() -> None:
    assert websocket_url("http://127.0.0.1:6800/jsonrpc") == "ws://127.0.0.1:6800/jsonrpc"
    assert websocket_url("https://host/rpc/jsonrpc") == "wss://host/rpc/jsonrpc"
