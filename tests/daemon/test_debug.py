"""--debug: the debug log (0600, bounded, no secret in it), Textual's devtools, and the
debug info screen (F12)."""

from __future__ import annotations

import logging
import re
import stat
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from aria2_top.diagnostics import debug_log
from aria2_top.diagnostics.debug_log import (
    LOGGER_NAME,
    active_log_path,
    hide_secrets,
    start_debug_log,
    stop_debug_log,
)
from aria2_top.ui.screens.debug_info import DebugInfoScreen
from tests.conftest import DaemonFactory
from tests.support.fake_daemon import FakeDaemon, Html
from tests.support.rpc import TestClient
from tests.support.terminal import TerminalApp, run_cli, user_environment
from tests.support.ui import app_for, make_settings, screen_text, until
from tests.support.waiting import wait_until

SECRET = "hush-8f2c1d0a"
SIZE = (120, 35)
F12 = "\x1b[24~"
_LAST_ERROR = re.compile(r"last error +\d\d:\d\d:\d\d \S")


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Path]:
    """The debug log as --debug starts it, in ``tmp_path``, knowing ``SECRET``."""
    path = start_debug_log(tmp_path / "data", [SECRET])
    try:
        yield path
    finally:
        stop_debug_log()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_is_private_and_never_holds_a_secret(logged: Path) -> None:
    log = logging.getLogger(f"{LOGGER_NAME}.test")
    later = "restarted-daemon-secret"
    hide_secrets(later)  # learnt after the start (the private daemon's)
    log.debug("calling with %s and token:%s", SECRET, "zz-other-token-zz")
    log.info("the new one is %s at http://user:pw@127.0.0.1:6800/jsonrpc", later)
    try:
        raise ValueError(f"refused token:{SECRET}")
    except ValueError:
        log.exception("it failed")
    log.debug("a format %s %s that does not fit", SECRET)
    text = logged.read_text()
    assert "calling with" in text and "it failed" in text and "ValueError" in text
    for secret in (SECRET, "zz-other-token-zz", later, "user:pw"):
        assert secret not in text
    assert "token:••••" in text
    assert _mode(logged) == 0o600
    assert active_log_path() == logged


def test_the_log_rotates_and_each_file_is_private(
    logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_debug_log()
    monkeypatch.setattr(debug_log, "MAX_BYTES", 2000)
    start_debug_log(logged.parent)
    log = logging.getLogger(f"{LOGGER_NAME}.test")
    for n in range(200):
        log.debug("line %d of a long enough log", n)
    files = sorted(logged.parent.glob("debug.log*"))
    assert [f.name for f in files] == ["debug.log", "debug.log.1", "debug.log.2"]
    assert all(_mode(f) == 0o600 for f in files)
    assert all(f.stat().st_size <= 2000 for f in files)


async def test_f12_shows_the_daemon_versions_and_timings_never_the_secret(
    daemons: DaemonFactory, logged: Path, tmp_path: Path
) -> None:
    daemon = await daemons.start(secret=SECRET)
    async with TestClient(daemon.url, daemon.secret) as client:
        version = (await client.get_version())["version"]
    settings = make_settings(tmp_path)
    app = app_for(daemon, label="box", settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.dashboard.snapshot is not None, "the first poll")
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, DebugInfoScreen), "the debug info")
        await until(pilot, lambda: "answered" in screen_text(app), "the poll counts")
        text = screen_text(app)
        assert daemon.url in text and "secret: set" in text
        assert version in text
        assert "reply in" in text and " ms" in text, "a timing"
        assert str(logged) in text, "where the log is"
        assert SECRET not in text
        shown = _polls_shown(text)
        await until(pilot, lambda: _polls_shown(screen_text(app)) > shown, "refreshed")
        await pilot.press("y")
        assert app.clipboard.startswith("aria2-top") and daemon.url in app.clipboard
        assert SECRET not in app.clipboard
        logging.getLogger(f"{LOGGER_NAME}.test").warning("as if by mistake: %s", SECRET)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DebugInfoScreen), "closed")
    text = logged.read_text()
    assert "box: connected (aria2 " in text
    assert "system.multicall(aria2.getGlobalStat, aria2.getGlobalOption" in text
    assert "as if by mistake: ••••" in text
    assert SECRET not in text


async def test_a_failing_daemon_shows_in_f12_and_in_the_log(
    fake: FakeDaemon, logged: Path, tmp_path: Path
) -> None:
    fake.add("a.iso", "active")
    app = app_for(fake, tmp_path, label="fake", listen=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        fake.set_behaviour(Html())
        poller = app.sessions[0].poller
        await until(pilot, lambda: poller.failed_ticks >= 2, "two failed polls")
        await pilot.press("f12")
        await pilot.press("end")
        await until(pilot, lambda: _LAST_ERROR.search(screen_text(app)) is not None, "the error")
        text = screen_text(app)
        assert "last error" in text and "state          bad reply" in text
        assert re.search(r"\d+ answered, [1-9]\d* failed", text)
        assert "fake-secret" not in text
    warnings = [line for line in logged.read_text().splitlines() if " WARNING " in line]
    assert len(warnings) == 1, "the same failure again is at DEBUG level"
    assert "fake: poll failed: " in warnings[0]


async def test_debug_on_the_command_line_logs_without_the_secret(
    daemons: DaemonFactory, tmp_path: Path
) -> None:
    daemon = await daemons.start(secret=SECRET)
    env = user_environment(tmp_path)
    env.pop("TEXTUAL", None)
    terminal = TerminalApp(env, "--debug", "--rpc-url", daemon.url, "--secret", SECRET)
    log = tmp_path / "data" / "aria2-top" / "debug.log"
    try:
        await wait_until(lambda: _drawn(terminal), lambda out: "connected" in out, what="app")
        assert f"debug log: {log}" in terminal.output, "said before the app starts"
        terminal.press(F12)
        await wait_until(lambda: _drawn(terminal), lambda out: "Debug info" in out, what="F12")
        await wait_until(lambda: _drawn(terminal), lambda out: "answered" in out, what="polls")
        terminal.press("q")  # closes the debug info; then q quits
        await wait_until(_quit(terminal), lambda code: code is not None, what="the end")
    finally:
        terminal.close()
    assert terminal.process.returncode == 0
    assert SECRET not in terminal.output
    text = log.read_text()
    assert _mode(log) == 0o600
    assert "aria2-top started" in text and "Textual 8.2.8" in text
    assert f"daemon {daemon.url} (secret: set)" in text
    assert "aria2-top quit (exit status 0)" in text
    assert SECRET not in text


def test_debug_says_in_one_line_when_the_log_cannot_be_written(tmp_path: Path) -> None:
    env = user_environment(tmp_path)
    (tmp_path / "data").write_text("a file where the data folder should be")
    result = run_cli("--debug", "--rpc-url", "http://127.0.0.1:9/jsonrpc", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("aria2-top: cannot write the debug log in ")
    assert result.stderr.count("\n") == 1


def _polls_shown(text: str) -> int:
    found = re.search(r"(\d+) answered", text)
    assert found is not None, text
    return int(found.group(1))


async def _drawn(terminal: TerminalApp) -> str:
    return terminal.output


def _quit(terminal: TerminalApp) -> Callable[[], Awaitable[int | None]]:
    """Press q until the app has quit (a q pressed as the debug info closes may be
    its own); its exit status."""

    async def probe() -> int | None:
        code = terminal.process.poll()
        if code is None:
            terminal.press("q")
        return code

    return probe
