"""Several daemons in one view, against three real aria2c: rows from all, the host
column, actions that reach the right daemon, a daemon killed or with a wrong
secret while the others keep going, the daemons screen, adding to a chosen one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import TextArea

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.daemon.process import RunningDaemon
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.add_dialog import AddDialog
from aria2_top.ui.screens.choose import ChooseScreen
from aria2_top.ui.screens.daemons import DaemonsScreen
from aria2_top.ui.screens.limits_dialog import LimitsDialog
from tests.conftest import SLOW, DaemonFactory
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.terminal import run_cli, user_environment
from tests.support.ui import app_for, notices, screen_text, until
from tests.support.waiting import wait_for_status, wait_until

SIZE = (120, 35)
NAMES = ("nas", "seedbox", "laptop")


class Rig:
    """Three real aria2c, each with one paused download named after it."""

    def __init__(self, daemons: list[RunningDaemon], gids: list[str]) -> None:
        self.daemons = dict(zip(NAMES, daemons, strict=True))
        self.gids = dict(zip(NAMES, gids, strict=True))

    def endpoints(self, *, wrong_secret: str = "") -> list[Endpoint]:
        return [
            Endpoint(d.url, "wrong" if name == wrong_secret else d.secret, name)
            for name, d in self.daemons.items()
        ]

    async def status(self, name: str, gid: str | None = None) -> str:
        daemon = self.daemons[name]
        async with TestClient(daemon.url, daemon.secret) as client:
            reply = await client.tell_status(gid or self.gids[name], ["status"])
        return str(reply["status"])


async def _rig(daemons: DaemonFactory, files: FileServer) -> Rig:
    started, gids = [], []
    for name in NAMES:
        daemon = await daemons.start(name=name, secret=f"{name}-secret")
        async with TestClient(daemon.url, daemon.secret) as client:
            url = files.make_file(f"fleet-{name}.bin", 1 << 20)
            gids.append(await client.add_uri([url], {"pause": True, "max-download-limit": SLOW}))
        started.append(daemon)
    return Rig(started, gids)


@asynccontextmanager
async def _fleet_app(
    endpoints: list[Endpoint], tmp_path: Path, rows: int = 3
) -> AsyncIterator[tuple[Aria2TopApp, Pilot[None]]]:
    app = app_for(endpoints, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == rows, f"{rows} rows")
        yield app, pilot


async def _until_status(rig: Rig, name: str, status: str) -> None:
    await wait_until(lambda: rig.status(name), lambda s: s == status, what=f"{name} {status}")


def _row_of(app: Aria2TopApp, daemon: str) -> int:
    return next(i for i, key in enumerate(app.dashboard.table.keys) if key.daemon == daemon)


async def test_one_view_of_three_daemons_and_actions_reach_the_right_one(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    rig = await _rig(daemons, files)
    async with _fleet_app(rig.endpoints(), tmp_path) as (app, pilot):
        text = screen_text(app)
        assert "Host" in text and "● nas  ● seedbox  ● laptop" in text
        for name in NAMES:
            assert f"fleet-{name}.bin" in text
        table = app.dashboard.table
        # tag the rows of seedbox and laptop, leave nas alone: p resumes those two
        table.move_cursor(_row_of(app, "seedbox"))
        await pilot.press("space")
        table.move_cursor(_row_of(app, "laptop"))
        await pilot.press("space", "p")
        for name in ("seedbox", "laptop"):
            await _until_status(rig, name, "active")
            said = f"{name}: resumed 1 download"
            await until(pilot, lambda said=said: said in notices(app), said)  # type: ignore[misc]
        assert await rig.status("nas") == "paused"
        # the filter host: and H show one daemon
        await pilot.press("H")
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "nas only")
        assert app.dashboard.shown[0].daemon == "nas" and "host:nas" in screen_text(app)
        await pilot.press("H", "H", "H")
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "all again")


async def test_a_dead_daemon_keeps_its_rows_stale_and_never_holds_up_the_others(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    rig = await _rig(daemons, files)
    async with _fleet_app(rig.endpoints(), tmp_path) as (app, pilot):
        rig.daemons["seedbox"].kill()
        await until(pilot, lambda: "✖ seedbox" in screen_text(app), "seedbox down in the bar")
        nas = rig.daemons["nas"]
        async with TestClient(nas.url, nas.secret) as client:
            url = files.make_file("fleet-late.bin", 1 << 20)
            await client.add_uri([url], {"pause": True})
        await until(pilot, lambda: "fleet-late.bin" in screen_text(app), "nas keeps updating")
        assert "fleet-seedbox.bin" in screen_text(app), "the dead daemon's rows stay"
        assert "seedbox" in app.dashboard.link_watch.stale
        # an action on the live daemons still goes through
        app.dashboard.table.move_cursor(_row_of(app, "laptop"))
        await pilot.press("p")
        await _until_status(rig, "laptop", "active")
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, DaemonsScreen), "daemons screen")
        await until(pilot, lambda: "no connection" in screen_text(app), "seedbox's state")


async def test_a_wrong_secret_on_one_daemon_is_said_and_the_others_show(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    rig = await _rig(daemons, files)
    endpoints = rig.endpoints(wrong_secret="laptop")
    async with _fleet_app(endpoints, tmp_path, rows=2) as (app, pilot):
        await until(pilot, lambda: "✖ laptop secret?" in screen_text(app), "laptop's secret")
        assert {d.daemon for d in app.dashboard.shown} == {"nas", "seedbox"}
        await pilot.press("D")
        await until(pilot, lambda: "wrong secret" in screen_text(app), "the daemons screen")


async def test_the_daemons_screen_sets_one_daemons_limits(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    rig = await _rig(daemons, files)
    async with _fleet_app(rig.endpoints(), tmp_path) as (app, pilot):
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, DaemonsScreen), "daemons screen")
        await until(pilot, lambda: screen_text(app).count("connected") >= 3, "three lines")
        assert "1.37.0" in screen_text(app)
        await pilot.press("down", "L")
        await until(pilot, lambda: isinstance(app.screen, LimitsDialog), "limits dialog")
        assert "limits of seedbox" in screen_text(app)
        await pilot.press("ctrl+u", *"100K", "enter")
        await until(pilot, lambda: "seedbox: global limits ↓ 100.0K/s" in notices(app), "notice")

        async def limit(name: str) -> str:
            daemon = rig.daemons[name]
            async with TestClient(daemon.url, daemon.secret) as client:
                return str((await client.get_global_option())["max-overall-download-limit"])

        assert await limit("seedbox") == "102400"
        assert await limit("nas") == "0" and await limit("laptop") == "0"


async def test_add_asks_which_daemon_and_adds_there(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    rig = await _rig(daemons, files)
    async with _fleet_app(rig.endpoints(), tmp_path) as (app, pilot):
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ChooseScreen), "which daemon")
        await pilot.press("end", "enter")  # laptop, the last
        await until(pilot, lambda: isinstance(app.screen, AddDialog), "add dialog")
        app.screen.query_one(TextArea).insert(files.make_file("fleet-added.bin", 4096))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "added 1 download to laptop" in notices(app), "added")
        await until(pilot, lambda: len(app.dashboard.shown) == 4, "the new row")
        added = next(d for d in app.dashboard.shown if d.name == "fleet-added.bin")
        assert added.daemon == "laptop"
        assert app.dashboard.table.focused_key == added.key
        await wait_for_status_of(rig, "laptop", added.gid)


async def wait_for_status_of(rig: Rig, name: str, gid: str) -> None:
    daemon = rig.daemons[name]
    async with TestClient(daemon.url, daemon.secret) as client:
        await wait_for_status(client, gid, {"complete"})


async def test_the_config_file_names_the_daemons_and_add_picks_one(
    daemons: DaemonFactory, files: FileServer, tmp_path: Path
) -> None:
    rig = await _rig(daemons, files)
    config = tmp_path / "config.toml"
    config.write_text(
        "".join(
            f'[[daemons]]\nname = "{name}"\nrpc_url = "{d.url}"\nsecret_env = "{name.upper()}"\n'
            for name, d in rig.daemons.items()
        )
    )
    env = user_environment(tmp_path) | {n.upper(): f"{n}-secret" for n in NAMES}
    url = files.make_file("fleet-cli.bin", 4096)
    refused = run_cli("add", url, "--config", str(config), env=env)
    assert refused.returncode == 1 and "name one with --daemon (of nas, seedbox, laptop)" in (
        refused.stderr
    )
    added = run_cli("add", url, "--config", str(config), "--daemon", "seedbox", env=env)
    assert added.returncode == 0, added.stderr
    gid = added.stdout.strip()
    assert await rig.status("seedbox", gid) in ("active", "complete")
