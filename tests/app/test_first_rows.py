"""The first rows (ui/first_rows.py): what is written before the app is loaded is the
very top of the table the app then draws, and a daemon that misbehaves only means
no first rows (the app starts as it always did)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import termios
from dataclasses import replace
from pathlib import Path

import pytest

from aria2_top.config.daemons import DaemonConfig
from aria2_top.config.table_setup import TableSetup
from aria2_top.model.query import View
from aria2_top.rpc.quick_call import multicall_now
from aria2_top.ui.early_terminal import ENTER, LEAVE
from aria2_top.ui.first_rows import TABLE_TOP, daemon_of, fetch, frame_lines, table_rows
from tests.support.fake_daemon import (
    EndlessChunked,
    FakeDaemon,
    Hang,
    Html,
    HttpError,
    Raw,
    Reset,
    RpcError,
    Trickle,
)
from tests.support.ui import app_for, make_settings, screen_text, until

HOSTILE = "\x1b]0;TITLE\x07[bold red]x[/] \x9b2J\u202eevil.bin"


def _populate(fake: FakeDaemon, waiting: int) -> None:
    fake.add("running-a-rather-long-name-that-the-name-column-cuts-short.iso", "active")
    fake.add(HOSTILE, "active", torrent=True)
    for i in range(waiting):
        fake.add(f"queued-{i}.bin", "waiting" if i % 3 else "paused", completed=i)
    fake.add("done.bin", "complete", completed=1000)
    fake.add("broken.bin", "error", completed=0)


@pytest.mark.parametrize(
    ("size", "waiting", "table"),
    [
        ((80, 24), 5, TableSetup()),
        ((120, 35), 120, TableSetup()),  # more than a screenful, # three digits wide
        ((200, 55), 3, TableSetup()),  # every list shorter than the screen
        ((120, 35), 4, TableSetup(view=View.ACTIVE)),
        (
            (100, 30),
            12,
            TableSetup(columns=("name", "pos", "size", "status"), widths=(("size", 12),)),
        ),
    ],
)
async def test_the_first_rows_are_the_top_of_the_table_the_app_draws(
    fake: FakeDaemon, tmp_path: Path, size: tuple[int, int], waiting: int, table: TableSetup
) -> None:
    _populate(fake, waiting)
    width, height = size
    replies = fetch(fake.url, fake.secret, table_rows(height))
    assert replies is not None
    lines = frame_lines(replies, width, height, table)
    total = 2 if table.view is View.ACTIVE else waiting + 4
    assert len(lines) == 1 + min(table_rows(height), total)
    settings = make_settings(tmp_path)
    app = app_for(fake, label="fake", settings=replace(settings, table=table))
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == total, f"{total} rows")
        await pilot.pause()
        drawn = screen_text(app).splitlines()[TABLE_TOP : TABLE_TOP + len(lines)]
    assert [line[: len(first)] for line, first in zip(drawn, lines, strict=True)] == lines
    assert "\ufffd]0;TITLE\ufffd" in "\n".join(lines)  # its controls shown as �, never sent
    assert not any(ch in "\n".join(lines) for ch in "\x1b\x07\x9b\u202e")


def test_only_the_one_daemon_in_aria2s_order_gets_first_rows(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    assert daemon_of(replace(settings, rpc_url="http://127.0.0.1:6801/jsonrpc", secret="s")) == (
        "http://127.0.0.1:6801/jsonrpc",
        "s",
    )
    assert daemon_of(replace(settings, rpc_url=None))[0] == "http://127.0.0.1:6800/jsonrpc"  # type: ignore[index]
    for table in (
        TableSetup(sort="down"),
        TableSetup(reverse=True),
        TableSetup(view=View.PAUSED),
        TableSetup(view=View.ERRORS),
    ):
        assert daemon_of(replace(settings, table=table)) is None
    named = DaemonConfig("nas", "http://127.0.0.1:6801/jsonrpc")
    assert daemon_of(replace(settings, daemons=(named,))) is None


@pytest.mark.parametrize(
    "behaviour",
    [
        Hang(),
        Trickle(step_bytes=1, step_seconds=0.05),
        Reset(),
        EndlessChunked(),
        Html(),
        HttpError(502),
        Raw(b'{"result": [[1], [2]]}'),  # two results for four calls
        Raw(b'{"result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        Raw(b"\x00" * 5 * 2**20),
    ],
    ids=lambda b: type(b).__name__,
)
def test_a_daemon_that_misbehaves_gives_no_first_rows(fake: FakeDaemon, behaviour: object) -> None:
    fake.add("a.bin", "active")
    fake.set_behaviour(behaviour)  # type: ignore[arg-type]
    assert fetch(fake.url, fake.secret, 10) is None


def test_a_wrong_secret_or_a_refused_call_gives_no_first_rows(fake: FakeDaemon) -> None:
    fake.add("a.bin", "active")
    assert fetch(fake.url, "wrong", 10) is None
    fake.replace("aria2.tellStopped", RpcError("refused"))
    assert fetch(fake.url, fake.secret, 10) is None
    assert multicall_now("https://127.0.0.1:1/jsonrpc", None, [], deadline=1, max_bytes=1) is None
    assert multicall_now("http://u:p@127.0.0.1:1/", None, [], deadline=1, max_bytes=1) is None


def test_hostile_values_make_rows_without_control_characters(fake: FakeDaemon) -> None:
    good = fake.add("good.bin", "active")
    fake.replace(
        "aria2.tellActive",
        [
            {"gid": good, "status": "active", "files": [{"path": "/d/good.bin"}]},
            {"gid": good, "status": "active"},  # the same GID again: left out
            {"gid": 5, "status": "active"},
            {"gid": "0123456789abcdef", "status": ["x"], "totalLength": {"a": 1}},
            {"gid": "1123456789abcdef", "status": "active", "files": [{"path": HOSTILE}]},
            "not an object",
        ],
    )
    fake.replace("aria2.getGlobalStat", {"numWaiting": "-3"})
    fake.replace("aria2.tellWaiting", {"not": "a list"})
    replies = fetch(fake.url, fake.secret, 10)
    assert replies is not None
    lines = frame_lines(replies, 100, 30, TableSetup())
    assert len(lines) == 4  # the header, good.bin, the odd one, the hostile name
    text = "\n".join(lines)
    assert "good.bin" in text and "\ufffd2J\ufffdevil.bin" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")


EARLY_ONLY = """
from aria2_top.ui.early_terminal import EarlyTerminal
terminal = EarlyTerminal.open()
assert terminal is not None
terminal.draw(["header", "a row"], 2)
terminal.close()  # the app never took the terminal (no daemon after all, an error)
print("said on the shell's screen")
"""


def test_a_start_that_never_reaches_the_app_gives_the_terminal_back() -> None:
    master, slave = pty.openpty()
    before = termios.tcgetattr(master)[3]
    try:
        done = subprocess.run(
            [sys.executable, "-c", EARLY_ONLY],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            timeout=60,
            check=False,
        )
        after = termios.tcgetattr(master)[3]
    finally:
        os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert done.returncode == 0, drawn
    text = drawn.decode()
    assert text.index(ENTER) < text.index("a row") < text.index(LEAVE) < text.index("said on")
    assert after == before
    assert after & termios.ECHO and after & termios.ICANON
