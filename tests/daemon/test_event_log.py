"""The event log (e) on the real daemon: starts and ends as they happen."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from aria2_top.config.hooks_table import HookSettings
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.events import EventsScreen
from tests.conftest import SLOW
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.ui import app_for, make_settings, notices, screen_text, until
from tests.support.waiting import wait_for_status

SIZE = (120, 35)


async def test_e_shows_starts_and_ends_on_the_real_daemon(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("ev.bin", 256 << 10)
    gid = await client.add_uri([url], {"max-download-limit": SLOW, "pause": True})
    app = app_for(daemon, tmp_path, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await client.unpause(gid)
        await until(pilot, lambda: len(app.dashboard.events) >= 2, "connected, started")
        await client.change_option(gid, {"max-download-limit": "0"})
        await wait_for_status(client, gid, {"complete"})
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), "the event log")
        await until(pilot, lambda: "finished" in screen_text(app), "finished, on screen")
        text = screen_text(app)
        assert "started" in text and "ev.bin" in text and "connected" in text
        assert text.index("finished") < text.index("started"), "newest first"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, EventsScreen), "closed")


WRITE_ARGS = "import json, os, sys; open(sys.argv[1], 'a').write(json.dumps(sys.argv[2:]) + '\\n')"


async def test_dashboard_hooks_run_once_and_are_in_the_event_log(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    """``[hooks]`` on_start and on_complete run once each with the download's words;
    the event log says how each ended, and a failing one is said in a notice."""
    ran = tmp_path / "ran.jsonl"
    hooks = HookSettings(
        (
            ("on_start", (sys.executable, "-c", WRITE_ARGS, str(ran), "start", "{gid}")),
            ("on_complete", (sys.executable, "-c", WRITE_ARGS, str(ran), "{name}", "{path}")),
            ("on_error", (sys.executable, "-c", "raise SystemExit(3)")),
        ),
        timeout=30,
    )
    settings = dataclasses.replace(make_settings(tmp_path), hooks=hooks)
    url = files.make_file("hooked.bin", 256 << 10)
    gid = await client.add_uri([url], {"max-download-limit": SLOW, "pause": True})
    app = app_for(daemon, settings=settings, label="d")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await client.unpause(gid)
        await until(pilot, lambda: ran.exists(), "the start hook ran")
        await client.change_option(gid, {"max-download-limit": "0"})
        await wait_for_status(client, gid, {"complete"})
        await until(pilot, lambda: len(ran.read_text().splitlines()) == 2, "the complete hook")
        failed = await client.add_uri(["http://127.0.0.1:9/gone.bin"])
        await until(pilot, lambda: "error hook for gone.bin: exit 3" in notices(app), "a notice")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), "the event log")
        text = screen_text(app)
        assert "complete hook for hooked.bin: exit 0" in text
        assert "start hook for hooked.bin: exit 0" in text
        assert "exit 3" in text
    lines = [json.loads(line) for line in ran.read_text().splitlines()]
    assert lines[0] == ["start", gid] and lines[2] == ["start", failed]  # as aria2's own hooks
    name, path = lines[1]
    assert name == "hooked.bin" and Path(path).name == name
    assert Path(path).stat().st_size == 256 << 10
    assert len(lines) == 3
