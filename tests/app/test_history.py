"""The history of downloads: recorded from what the poller sees, kept when aria2
forgets, shown by 7 with search and "add again", exported as CSV."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from textual.widgets import DataTable

from aria2_top.cli import history as history_cli
from aria2_top.model.downloads import Download, Status
from aria2_top.storage.history_file import (
    DownloadHistory,
    Record,
    csv_text,
    history_path,
    read_history,
)
from aria2_top.ui.screens.history import HistoryScreen
from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import app_for, make_settings, notices, recorded_app, screen_text, until

SIZE = (140, 35)


def _download(gid: str, status: Status, **kw: object) -> Download:
    values: dict[str, object] = {"name": "n", "aria2_status": str(status), "daemon": "d"}
    return Download(gid=gid, status=status, **{**values, **kw})  # type: ignore[arg-type]


def test_times_follow_the_downloads_states(tmp_path: Path) -> None:
    history = DownloadHistory(tmp_path / "h.sqlite3")
    waiting = history.stamp(_download("a", Status.WAITING, source="http://x/a"))
    assert waiting.added is not None and waiting.ended is None
    running = history.stamp(_download("a", Status.ACTIVE, total=10))
    assert running.added == waiting.added
    done = history.stamp(_download("a", Status.COMPLETE, total=10))
    assert done.ended is not None and done.added == waiting.added
    again = history.stamp(_download("a", Status.COMPLETE, total=10))
    assert again.ended == done.ended, "finished once: the time stays"
    failed = history.stamp(
        _download("b", Status.ERROR, error_code="3", error_message="Resource not found")
    )
    assert failed.ended is not None
    back = history.stamp(_download("b", Status.PAUSED))  # aria2c restarted: paused again
    assert back.ended is None, "its row shows no end while it is queued"
    history.commit()
    history.close()
    records = {r.gid: r for r in read_history(tmp_path / "h.sqlite3")}
    assert records["a"].status == "complete" and records["a"].source == "http://x/a"
    assert records["a"].size == 10 and records["a"].started is not None
    assert records["b"].error == "Resource not found", "the failure stays in the history"
    assert records["b"].status == "paused" and records["b"].ended is not None
    assert stat.S_IMODE((tmp_path / "h.sqlite3").stat().st_mode) == 0o600


def test_a_broken_history_file_is_said_and_nothing_breaks(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    history = DownloadHistory(path)
    assert history.records() == []  # read in the writer thread: waits for it
    assert history.problem is not None and "not recorded" in history.problem
    stamped = history.stamp(_download("a", Status.COMPLETE))
    assert stamped.ended is not None, "times are still kept in memory"
    history.commit()
    history.close()
    assert path.read_bytes().startswith(b"this is not a database"), "the file is left alone"


def test_a_history_from_before_the_note_gains_it(tmp_path: Path) -> None:
    """A file of 0.1.0 (no note column) is read, and notes are kept from then on."""
    path = tmp_path / "h.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE downloads (daemon TEXT NOT NULL, gid TEXT NOT NULL, "
            "name TEXT NOT NULL, status TEXT NOT NULL, size INTEGER, added REAL, "
            "started REAL, ended REAL, error TEXT NOT NULL, source TEXT NOT NULL, "
            "folder TEXT NOT NULL, PRIMARY KEY (daemon, gid))"
        )
        db.execute(
            "INSERT INTO downloads VALUES ('d', 'a', 'old.iso', 'complete', 5, 1.0, 2.0, 3.0, "
            "'', 'http://x/old.iso', '/f')"
        )
    db.close()
    history = DownloadHistory(path)
    (old,) = history.records()
    assert old.name == "old.iso" and old.note == ""
    history.note(old.key, "deleted 1 file (5 B): old.iso", status="deleted")
    history.close()
    (again,) = read_history(path)
    assert (again.status, again.note) == ("deleted", "deleted 1 file (5 B): old.iso")
    assert again.ended == 3.0, "when it ended stays"


def test_the_history_keeps_at_most_its_limit(tmp_path: Path) -> None:
    """A daemon that makes new downloads all the time: the oldest added go, in the
    file too, and F12's words say so."""
    path = tmp_path / "h.sqlite3"
    history = DownloadHistory(path, limit=1000)
    for number in range(1150):
        history.stamp(_download(f"{number:04d}", Status.ACTIVE))
        if number % 100 == 99:
            history.commit()
    history.commit()
    assert len(history.records()) == 1000 and history.pruned == 150
    assert "1,000 downloads known, at most 1,000: history_max; 150 oldest let go" in history.state
    history.close()
    kept = read_history(path)
    assert len(kept) == 1000 and min(r.gid for r in kept) == "0150"


def test_csv_is_safe_for_terminals_and_spreadsheets() -> None:
    record = Record(
        "d", "1", "=HYPERLINK(\"http://evil\")", "error", 5, 0.0, None, 1.0,
        "bad\x1b[31m", "-x", "/f",
    )  # fmt: skip
    text = csv_text([record])
    assert "\x1b" not in text
    lines = text.splitlines()
    assert lines[0].startswith("daemon,gid,name,status,size,added")
    assert "'=HYPERLINK" in lines[1] and ",'-x," in lines[1]


def test_history_cli_prints_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(history_cli, "default_data_dir", lambda: tmp_path)
    assert history_cli.history_main(["--csv"]) == 0
    assert capsys.readouterr().out == csv_text([])
    history = DownloadHistory(history_path(tmp_path))
    history.stamp(_download("a", Status.COMPLETE, name="ubuntu.iso", total=2048))
    history.close()
    assert history_cli.history_main([]) == 0
    assert "ubuntu.iso" in capsys.readouterr().out
    assert history_cli.history_main(["--csv", "--daemon", "other"]) == 0
    assert "ubuntu.iso" not in capsys.readouterr().out


async def test_the_app_says_why_no_history_is_kept_and_goes_on(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, interval=3600)
    history_path(settings.data_dir).parent.mkdir(parents=True)
    history_path(settings.data_dir).write_bytes(b"not a database at all" * 50)
    app = recorded_app(settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 11, "the rows, all the same")
        await until(pilot, lambda: "history of downloads not recorded" in notices(app), "why")
        assert all(d.added is not None for d in app.dashboard.shown), "times kept in memory"
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        assert "not recorded" in screen_text(app)


async def test_history_sorts_by_keys_and_by_a_click_on_a_header(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, interval=3600)
    history = DownloadHistory(history_path(settings.data_dir))
    for gid, name, size in (("a", "zebra.iso", 10), ("b", "apple.iso", 30), ("c", "mango", 20)):
        history.stamp(_download(gid, Status.COMPLETE, name=name, total=size, daemon="x"))
    history.close()
    app = recorded_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 11, "the rows")
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)

        def names() -> list[str]:
            return [r.name for r in screen.shown if r.gid in "abc"]

        await pilot.press("enter", "greater_than_sign", "greater_than_sign", "greater_than_sign")
        assert screen.sort == "size" and names() == ["apple.iso", "mango", "zebra.iso"]
        await pilot.press("I")
        assert names() == ["zebra.iso", "mango", "apple.iso"]
        table = screen.query_one("#history-table", DataTable)
        keys = [str(key.value) for key in table.columns]
        before = keys.index("name")
        x = sum(column.get_render_width(table) for column in list(table.columns.values())[:before])
        await pilot.click("#history-table", offset=(x + 2, 0))  # the Name header
        await until(pilot, lambda: screen.sort == "name", "sorted by name")
        assert names() == ["apple.iso", "mango", "zebra.iso"]


async def test_an_empty_history_says_so_whole_at_80_columns(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """The line in place of rows goes under Name where it fits there, in short words
    where the full ones fit in no column: never cut to "nothing reco"."""
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await until(pilot, lambda: "nothing yet" in screen_text(app), "said whole")
        assert "nothing reco" not in screen_text(app)
    wide = app_for(fake, tmp_path, label="fake")
    async with wide.run_test(size=(200, 40)) as pilot:
        await pilot.press("7")
        await until(pilot, lambda: "nothing recorded yet" in screen_text(wide), "wide")
        lines = screen_text(wide).splitlines()
        said = next(line for line in lines if "nothing recorded" in line)
        header = next(line for line in lines if "Name" in line)
        assert said.index("nothing recorded") == header.index("Name"), "under Name"
