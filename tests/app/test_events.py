"""e: the event log (starts, ends, failures, daemons answering or not), and the
desktop notifications (notify = true)."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest

from aria2_top.model.downloads import Download, GlobalStat, Snapshot, Status
from aria2_top.model.events import EventKind, EventLog, started
from aria2_top.ui import desktop_notify
from tests.support.fake_daemon import FakeDaemon, Reset, Sane
from tests.support.ui import app_for, make_settings, screen_text, until

SIZE = (120, 35)
STAT = GlobalStat.parse({}, {})


def _download(gid: int, status: Status) -> Download:
    return Download(gid=f"{gid:016x}", status=status, name=f"f{gid}", aria2_status="x")


def test_link_events_only_when_a_daemon_changes_its_mind() -> None:
    log = EventLog()
    log.link("nas", True)
    log.link("nas", True)
    log.link("nas", False, "cannot reach aria2")
    log.link("nas", False, "cannot reach aria2")
    log.link("nas", True)
    log.link("box", False, "connection refused")  # silent from the start: no news yet
    kinds = [(e.kind, e.text) for e in reversed(log.newest_first())]
    assert kinds == [
        (EventKind.CONNECTED, "answers"),
        (EventKind.LOST, "cannot reach aria2"),
        (EventKind.CONNECTED, "answers again"),
    ]
    small = EventLog(size=3)
    for n in range(5):
        small.add(EventKind.STARTED, "d", f"n{n}")
    assert [e.text for e in small.newest_first()] == ["n4", "n3", "n2"], "bounded"


def test_started_names_downloads_that_began_to_run_since() -> None:
    before = Snapshot((_download(1, Status.ACTIVE), _download(2, Status.PAUSED)), STAT)
    after = Snapshot((_download(1, Status.ACTIVE), _download(2, Status.ACTIVE)), STAT)
    assert [d.gid for d in started(before, after)] == [_download(2, Status.ACTIVE).gid]
    assert started(None, after) == [], "the first snapshot is state, not news"
    assert started(dataclasses.replace(before, partial=True), after) == []


def test_a_desktop_notification_is_plain_and_never_an_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no notify-send here: nothing to run
    assert desktop_notify.command("t", "b") is None
    argv = desktop_notify.command("aria2-top", "--help\x1b[31m" + "x" * 500, program="/bin/n")
    assert argv is not None
    assert argv[:3] == ["/bin/n", "--app-name=aria2-top", "--"], "-- ends the options"
    assert "\x1b" not in argv[-1] and len(argv[-1]) <= desktop_notify.MAX_BODY


async def test_notify_send_is_run_with_what_ended(tmp_path: Path) -> None:
    out = tmp_path / "said.txt"
    program = tmp_path / "notify-send"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {out}\n')
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    assert await desktop_notify.send("aria2-top", "finished: a.iso", program=str(program))
    assert out.read_text().splitlines() == [
        "--app-name=aria2-top",
        "--",
        "aria2-top",
        "finished: a.iso",
    ]


async def test_a_daemon_that_stops_answering_is_an_event(fake: FakeDaemon, tmp_path: Path) -> None:
    fake.add("a.iso", "active")
    settings = make_settings(tmp_path, timeout=1.0)
    app = app_for(fake, label="fake", settings=settings, listen=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        fake.set_behaviour(Reset())
        await until(
            pilot,
            lambda: any(e.kind is EventKind.LOST for e in app.dashboard.events.newest_first()),
            "the link lost",
        )
        fake.set_behaviour(Sane())
        await until(
            pilot,
            lambda: app.dashboard.events.newest_first()[0].text == "answers again",
            "answers again",
        )
        await pilot.press("e")
        await until(pilot, lambda: "lost" in screen_text(app), "on screen")
