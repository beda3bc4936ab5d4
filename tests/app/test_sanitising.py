"""One sanitiser for every line aria2-top writes (control characters shown as \\xNN,
never sent), one masking rule for credentials: the debug log, crash reports, the
event log, the history (stored masked), `aria2-top history` (text and CSV)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from aria2_top.cli import history as history_cli
from aria2_top.diagnostics.crash_report import report_text
from aria2_top.diagnostics.debug_log import LOGGER_NAME, start_debug_log, stop_debug_log
from aria2_top.model.downloads import Download, Status
from aria2_top.model.events import EventKind, EventLog
from aria2_top.model.masking import for_file
from aria2_top.storage.history_file import DownloadHistory, history_path, read_history
from aria2_top.ui.screens.history import HistoryScreen
from tests.support.fake_daemon import FakeDaemon, RpcError
from tests.support.ui import app_for, screen_text, until

HOSTILE = "\x1b]0;TITLE\x07\x1b[2J\x1b]52;c;QUFBQQ==\x07 bye\x9b31m \u202etxt"
PASSWORD_URI = "http://user:PASSWORD123@files.example/movie.mkv"


def _clean(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e"), repr(text)
    assert "PASSWORD123" not in text


def test_for_file() -> None:
    said = for_file(f"{HOSTILE} {PASSWORD_URI} token:s3cret", ["hush-hush"])
    _clean(said)
    assert said.startswith("\\x1b]0;TITLE\\x07\\x1b[2J") and "\\u202e" in said
    assert "http://••••@files.example/movie.mkv" in said and "token:••••" in said
    assert for_file("a\nb") == "a\\x0ab" and for_file("a\nb", keep_newlines=True) == "a\nb"


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Path]:
    path = start_debug_log(tmp_path / "data", [])
    try:
        yield path
    finally:
        stop_debug_log()


async def test_an_rpc_error_with_escapes_reaches_the_debug_log_escaped(
    fake: FakeDaemon, logged: Path, tmp_path: Path
) -> None:
    fake.add("a.iso", "active")
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        fake.replace("aria2.tellActive", RpcError(f"{HOSTILE} at {PASSWORD_URI}"))
        await until(pilot, lambda: app.sessions[0].poller.failed_ticks >= 1, "a failed poll")
    logging.getLogger(f"{LOGGER_NAME}.t").exception("and a traceback: %s", HOSTILE)
    text = logged.read_text(encoding="utf-8")
    assert "\\x1b]0;TITLE\\x07" in text and "http://••••@files.example" in text
    _clean(text)


def test_a_crash_report_is_escaped_and_masked() -> None:
    try:
        raise ValueError(f"{HOSTILE} {PASSWORD_URI}")
    except ValueError as exc:
        text = report_text(exc)
    _clean(text)
    assert "Traceback" in text and "\n" in text


def test_the_event_log_keeps_escaped_masked_text() -> None:
    events = EventLog()
    events.add(EventKind.FAILED, "nas\x1b[2J", f"{HOSTILE} {PASSWORD_URI}")
    (event,) = events.newest_first()
    _clean(event.text + event.daemon)


def _download(gid: str, source: str, error: str = "") -> Download:
    return Download(
        gid=gid,
        status=Status.ERROR if error else Status.COMPLETE,
        name=f"movie{HOSTILE}.mkv",
        aria2_status="error" if error else "complete",
        daemon="d",
        source=source,
        error_message=error,
        error_code="1" if error else "",
    )


async def test_the_history_stores_and_shows_uris_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = history_path(tmp_path)
    history = DownloadHistory(path)
    history.stamp(_download("0000000000000001", PASSWORD_URI))
    history.stamp(_download("0000000000000002", "http://x/y", f"failed at {PASSWORD_URI}"))
    history.close()
    with sqlite3.connect(path) as db:
        stored = " ".join(str(row) for row in db.execute("SELECT * FROM downloads"))
    db.close()
    assert "PASSWORD123" not in stored and "http://••••@files.example/movie.mkv" in stored
    monkeypatch.setattr(history_cli, "default_data_dir", lambda: tmp_path)
    for args in ([], ["--csv"]):
        assert history_cli.history_main(args) == 0
        _clean(capsys.readouterr().out)


def test_a_history_written_with_credentials_is_masked_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = DownloadHistory(path)
    history.stamp(_download("0000000000000001", "http://x/y"))
    history.close()
    with sqlite3.connect(path) as db:  # as aria2-top 0.1.0 wrote it
        db.execute("UPDATE downloads SET source = ?", (PASSWORD_URI,))
    db.close()
    (record,) = read_history(path)
    assert record.source == "http://••••@files.example/movie.mkv"
    with sqlite3.connect(path) as db:
        assert "PASSWORD123" not in str(db.execute("SELECT source FROM downloads").fetchall())
    db.close()


async def test_history_screen_shows_the_password_masked(fake: FakeDaemon, tmp_path: Path) -> None:
    gid = fake.add("movie.mkv", "complete")
    with fake.lock:
        fake.get(gid)["files"][0]["uris"] = [{"status": "used", "uri": PASSWORD_URI}]
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(140, 30)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await until(pilot, lambda: "files.example" in screen_text(app), "the source")
        assert "PASSWORD123" not in screen_text(app) and "••••@files.example" in screen_text(app)
