"""What a user sees of the safety rules: a revived private daemon, masked passwords,
warnings before writing next to an existing file, crash reports, hostile names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import TextArea

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.private import OPTIONS_NAME, PrivateDaemon
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.terminal import run_cli, user_environment
from tests.support.ui import (
    app_for,
    burst,
    make_settings,
    notices,
    running_app,
    screen_text,
    until,
)
from tests.support.waiting import wait_for_status

SIZE = (140, 35)


@pytest.mark.daemon
async def test_a_vanished_private_daemon_is_started_again(
    tmp_path: Path, files: FileServer, aria2c_binary: Path
) -> None:
    settings = make_settings(tmp_path)
    private = await PrivateDaemon.attach(settings.data_dir, settings.download_dir)
    endpoint = Endpoint(private.daemon.url, private.daemon.secret, "private daemon", private)
    async with TestClient(endpoint.url, endpoint.secret) as rpc:
        await rpc.add_uri([files.make_file("comes-back.bin", 4096)], {"pause": True})
    await private.daemon.save_session()  # as the app does every minute
    app = app_for(endpoint, settings=settings)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the download")
            await pilot.press("L")
            await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "limits dialog")
            await pilot.press("home", "ctrl+k", *"2M", "enter")
            await until(pilot, lambda: "[2.0M/s]" in screen_text(app), "the limit")
            old = private.daemon
            old.kill()
            await until(pilot, lambda: "runs again" in notices(app), "the restart", 30)
            await until(pilot, lambda: "● connected" in screen_text(app), "connected again")
            assert private.daemon.pid != old.pid and app.client.url == private.daemon.url
            await until(
                pilot, lambda: len(app.dashboard.shown) == 1, "the download, from the session"
            )
            assert app.dashboard.shown[0].name == "comes-back.bin"
            # The limit set in the app came back with the new daemon.
            await until(pilot, lambda: "[2.0M/s]" in screen_text(app), "the limit, kept")
        remembered = json.loads((settings.data_dir / OPTIONS_NAME).read_text())
        assert remembered["max-overall-download-limit"] == str(2 << 20)
    finally:
        await private.release()


async def test_passwords_are_masked_until_revealed(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    url = files.make_file("secret.bin", 4096).replace("//", "//alice:hunter2@")
    gid = await client.add_uri([url], {"pause": True, "http-passwd": "s3cr3t-pw"})
    async with running_app(daemon, tmp_path, size=SIZE, rows=1, notifications=True) as (app, pilot):
        await pilot.press("enter", "6")
        await until(pilot, lambda: "allow-overwrite" in screen_text(app), "the options")
        await burst(pilot, "passwd")  # the filter has the keyboard
        await until(pilot, lambda: "http-passwd" in screen_text(app), "the password option")
        text = screen_text(app)
        assert "s3cr3t-pw" not in text and "••••" in text
        await pilot.press("ctrl+a", "ctrl+k")
        await burst(pilot, "s3cr3t")  # typing the password finds nothing
        await until(pilot, lambda: "http-passwd" not in screen_text(app), "filtered out")
        await pilot.press("ctrl+a", "ctrl+k")
        await burst(pilot, "passwd")
        await pilot.press("tab", "4")
        await until(pilot, lambda: "alice" in screen_text(app) or "••••@" in screen_text(app), "4")
        assert "hunter2" not in screen_text(app) and "••••@127.0.0.1" in screen_text(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "alice:hunter2@" in screen_text(app), "revealed")
        await pilot.press("6")  # the filter still says passwd
        await until(pilot, lambda: "s3cr3t-pw" in screen_text(app), "the password, revealed")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "s3cr3t-pw" not in screen_text(app), "hidden again")
    assert (await client.get_option(gid))["http-passwd"] == "s3cr3t-pw"  # never changed


async def test_add_warns_before_writing_next_to_an_existing_file(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    folder = Path((await client.get_global_option())["dir"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "exists.bin").write_bytes(b"mine")
    url = files.make_file("exists.bin", 4096)
    async with running_app(daemon, tmp_path, size=SIZE) as (app, pilot):
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "add dialog")
        app.screen.query_one(TextArea).insert(url)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "already exists" in screen_text(app), "the warning")
        assert isinstance(app.screen, AddDialog) and await client.tell_active() == []
        await pilot.press("ctrl+s")  # again: add anyway
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "added")
        gid = app.dashboard.shown[0].gid
    await wait_for_status(client, gid, {"complete"})
    assert (folder / "exists.bin").read_bytes() == b"mine"
    assert (folder / "exists.1.bin").stat().st_size == 4096
    env = {**user_environment(tmp_path), "ARIA2_RPC_SECRET": daemon.secret}
    result = run_cli("add", url, "--rpc-url", daemon.url, env=env)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "exists.bin already exists" in result.stderr


async def test_a_malformed_torrent_is_one_line(
    daemon: RunningDaemon, client: TestClient, tmp_path: Path
) -> None:
    nested = tmp_path / "nested.torrent"
    nested.write_bytes(b"l" * 5000 + b"e" * 5000)
    listkey = tmp_path / "listkey.torrent"
    listkey.write_bytes(b"dl1:ae4:infoe")
    env = {**user_environment(tmp_path), "ARIA2_RPC_SECRET": daemon.secret}
    for torrent, words in ((nested, "nested deeper"), (listkey, "key that is not a string")):
        result = run_cli("add", str(torrent), "--rpc-url", daemon.url, env=env)
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
        assert words in result.stderr and "Traceback" not in result.stderr
    app = app_for(daemon, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "add dialog")
        app.screen.query_one(TextArea).insert(str(nested))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "nested deeper" in screen_text(app), "the problem")
        assert app.is_running and await client.tell_waiting(0, 5) == []


async def test_a_config_readable_by_others_is_warned_about_in_the_app(
    daemon: RunningDaemon, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'rpc_url = "{daemon.url}"\nsecret = "{daemon.secret}"\n')
    config.chmod(0o644)
    settings = resolve_settings(CliOptions(config_path=config), env={})
    assert settings.warnings
    endpoint = Endpoint(daemon.url, daemon.secret, "daemon")
    app = app_for(endpoint, settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "chmod 600" in notices(app), "the warning")
        await until(pilot, lambda: app.dashboard.snapshot is not None, "a poll")
        assert "chmod 600" in notices(app), "it stays until dismissed"
    env = user_environment(tmp_path)
    result = run_cli("add", "http://127.0.0.1:1/x", "--config", str(config), env=env)
    assert "chmod 600" in result.stderr
