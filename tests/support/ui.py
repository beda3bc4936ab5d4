"""Running the app under Pilot and waiting for what the screen shows."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.widgets.downloads_table import DownloadsTable
from tests.support.recorded import recorded_client
from tests.support.rpc import TestClient


def make_settings(
    tmp: Path,
    interval: float = 0.25,
    *,
    timeout: float = 10.0,
    max_reply_mib: int = 128,
    resync: float = 0.0,
) -> Settings:
    """Test settings; ``resync`` 0 fetches every list every tick (a test that changes
    the fake daemon's model behind its back sees it at once), tests of the resync
    give their own."""
    return Settings(
        rpc_url=None,
        secret=None,
        ca_file=None,
        interval=interval,
        download_dir=tmp / "downloads",
        data_dir=tmp / "data",
        config_path=tmp / "config.toml",
        timeout=timeout,
        max_reply_mib=max_reply_mib,
        resync=resync,
    )


def recorded_app(settings: Settings) -> Aria2TopApp:
    """The app on a real daemon's recorded replies, with no WebSocket listener: what it
    shows cannot depend on timing."""
    endpoint = Endpoint("http://127.0.0.1:6800/jsonrpc", None, "private daemon")
    return Aria2TopApp(endpoint, settings, client=recorded_client(), listen=False)


class Reachable(Protocol):
    """A daemon the app can be pointed at: a real aria2c or the fake daemon."""

    @property
    def url(self) -> str: ...

    @property
    def secret(self) -> str | None: ...


def app_for(
    target: Reachable | Endpoint | Sequence[Endpoint],
    tmp: Path | None = None,
    *,
    label: str | None = None,
    settings: Settings | None = None,
    client: TestClient | None = None,
    listen: bool = True,
    **overrides: Any,
) -> Aria2TopApp:
    """The app on ``target`` (a daemon, named ``label``, by default by its URL; or the
    endpoints as built), with ``settings`` or else the test settings in ``tmp``
    (``overrides``: see :func:`make_settings`): refreshing every 0.25 s by default."""
    if isinstance(target, Endpoint | Sequence):
        endpoints = target
    else:
        endpoints = Endpoint(target.url, target.secret, label or target.url)
    if settings is None:
        assert tmp is not None, "app_for needs the test's tmp_path or its settings"
        settings = make_settings(tmp, **overrides)
    return Aria2TopApp(endpoints, settings, client=client, listen=listen)


@asynccontextmanager
async def running_app(
    daemon: Reachable,
    tmp: Path,
    *,
    size: tuple[int, int],
    rows: int | None = None,
    notifications: bool = False,
    client: TestClient | None = None,
    listen: bool = True,
) -> AsyncIterator[tuple[Aria2TopApp, Pilot[None]]]:
    """The app on ``daemon`` under Pilot, once its first poll is shown (``rows``: once
    the table shows that many rows)."""
    app = app_for(daemon, tmp, client=client, listen=listen)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        if rows is None:
            await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        else:
            await until(pilot, lambda: len(app.dashboard.shown) == rows, f"{rows} rows")
        yield app, pilot


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], what: str, timeout: float = 20
) -> None:
    """Let the app run until ``condition`` holds (looked at every 20 ms); fail after
    ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


def table(app: Aria2TopApp) -> DownloadsTable:
    return app.dashboard.table


def focus(app: Aria2TopApp, gid: str) -> None:
    """Put the cursor on the shown download ``gid`` (one daemon: GIDs are unique)."""
    download = next(d for d in app.dashboard.shown if d.gid == gid)
    assert app.dashboard.table.focus_key(download.key)


def tagged_gids(app: Aria2TopApp) -> set[str]:
    return {key.gid for key in app.dashboard.tagged}


def shown_names(app: Aria2TopApp) -> list[str]:
    """The names in the table, top to bottom."""
    by_gid = {d.gid: d.name for d in app.dashboard.shown}
    return [by_gid[gid] for gid in table(app).order]


def screen_text(app: Aria2TopApp) -> str:
    """Everything on the screen as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notices(app: Aria2TopApp) -> str:
    """The messages of the notifications on screen, one per line, unwrapped (as
    said, before the app broke them into lines to fit the toast)."""
    return "\n".join(
        getattr(notification, "words", notification.message) for notification in app._notifications
    )


CONTROL_KEYS = {"\r": "enter", "\x15": "ctrl+u", "\x7f": "backspace", "\x1b": "escape"}


async def burst(pilot: Pilot[None], keys: str) -> None:
    """Send ``keys`` as one burst (a paste, a macro, a laggy link): all queued before
    the app handles the first, unlike Pilot.press which waits after each."""
    app = pilot.app
    assert app._driver is not None
    for character in keys:
        name = CONTROL_KEYS.get(character) or (
            character if character.isalnum() else _character_to_key(character)
        )
        event = events.Key(name, character)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


async def burst_keys(pilot: Pilot[None], keys: list[str]) -> None:
    """Send the keys named ``keys`` (Textual's names: ``q``, ``f9``, ``ctrl+a``) as one
    burst, all queued before the app handles the first."""
    app = pilot.app
    assert app._driver is not None
    for name in keys:
        character = name if len(name) == 1 else {"space": " ", "enter": "\r"}.get(name)
        event = events.Key(name, character)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
