"""S on a torrent, on a real loopback swarm: the app moves the head window forward,
so the file fills from its start onward (aria2 alone would fetch the head, then any
piece). The window's sizes are scaled down to the test's 2 MiB file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.model import stream_window
from aria2_top.model.pieces import piece_bits, valid_bitfield
from aria2_top.ops import streaming
from tests.conftest import DaemonFactory
from tests.support.payloads import make_torrent
from tests.support.rpc import TestClient
from tests.support.tracker import Tracker
from tests.support.ui import app_for, notices, screen_text, until

SIZE = (140, 45)
KiB = 1024
PIECE = 16 * KiB
WINDOW = 256 * KiB
TAIL = 64 * KiB


async def test_a_streamed_torrent_fills_from_its_start(
    daemons: DaemonFactory, tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_window, "FIRST_WINDOW", WINDOW)
    monkeypatch.setattr(stream_window, "TAIL", TAIL)
    monkeypatch.setattr(stream_window, "WINDOW_SECONDS", 0.0)  # each move: one window
    first = stream_window.window_option(WINDOW)
    monkeypatch.setattr(
        streaming, "STREAM_ON", {**streaming.STREAM_ON, "bt-prioritize-piece": first}
    )
    data = tmp_path / "seed-data"
    torrent = make_torrent(
        data, {"movie.mkv": 2 * 1024 * KiB}, name="film", tracker=tracker.url, piece_size=PIECE
    )
    seeder = await daemons.peer("seeder")
    leecher = await daemons.peer("leecher")
    async with (
        TestClient(seeder.url, seeder.secret) as seeding,
        TestClient(leecher.url, leecher.secret) as rpc,
    ):
        await seeding.add_torrent(
            torrent,
            options={"dir": str(data), "check-integrity": "true", "max-upload-limit": "150K"},
        )
        gid = await rpc.add_torrent(torrent)
        app = app_for(leecher, tmp_path)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
            await pilot.press("S")
            await until(pilot, lambda: "streaming film" in notices(app), "streaming on")
            assert "from its start onward while aria2-top runs" in notices(app)
            assert (await rpc.get_option(gid))["bt-prioritize-piece"] == first

            def moves() -> list[str]:
                return [e.text for e in app.dashboard.events.newest_first() if e.kind == "stream"]

            await until(pilot, lambda: len(moves()) >= 3, "the window moved 3 times", timeout=60)
            status = await rpc.tell_status(gid, ["bitfield"])
            head = stream_window.head_of((await rpc.get_option(gid))["bt-prioritize-piece"])
            bits = piece_bits(valid_bitfield(status["bitfield"]))
            plays = next((i for i, bit in enumerate(bits) if not bit), len(bits)) * PIECE
            assert head is not None and head > 3 * WINDOW, moves()
            # A window moves once every piece before its end is here: three moves,
            # three windows from the start without a gap.
            assert plays >= 3 * WINDOW - PIECE, (plays, head, moves())
            assert "now its first" in moves()[0]
            await pilot.press("enter")
            await until(pilot, lambda: "Streaming" in screen_text(app), "the Streaming row")
            assert "aria2-top moves this on as it fills" in screen_text(app)
