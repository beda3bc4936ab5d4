"""A lying, broken or stalled daemon (the test suite's own fake aria2) never ends the
app: each hostile reply becomes a ``?`` in a row or one line in the stats bar naming
what was wrong, and the app recovers as soon as the replies are sane again."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from aria2_top.daemon.endpoint import Endpoint
from aria2_top.model.downloads import NAME_KEYS, TABLE_KEYS, name_of, parse_download
from aria2_top.ui.app import Aria2TopApp
from aria2_top.ui.screens.events import EventsScreen
from tests.support.fake_daemon import (
    Behaviour,
    EndlessChunked,
    FakeDaemon,
    Half,
    Hang,
    Html,
    HttpError,
    Raw,
    Reset,
    RpcError,
    Sane,
    Trickle,
)
from tests.support.ui import app_for, focus, make_settings, notices, screen_text, until

SIZE = (160, 30)


def fake_app(fake: FakeDaemon, tmp_path: Path, **settings: Any) -> Aria2TopApp:
    """The app on the fake daemon, refreshing every 0.1 s (the failures and the
    recoveries show sooner); 2 s for a whole reply."""
    options = {"interval": 0.1, "timeout": 2.0, "max_reply_mib": 1, **settings}
    return app_for(fake, tmp_path, label="fake daemon", **options)


def _populate(fake: FakeDaemon) -> None:
    fake.add("active.iso", "active", total=4000, completed=1000)
    fake.add("queued.iso", "waiting", total=5000, completed=0)
    fake.add("done.iso", "complete", total=3000, completed=3000)


def _gid_of(fake: FakeDaemon, name: str) -> str:
    with fake.lock:
        return next(g for g, d in fake.downloads.items() if d["files"][0]["path"].endswith(name))


def _active_with(fake: FakeDaemon, **fields: Any) -> Callable[[list[Any]], Any]:
    """tellActive answering the active download with ``fields`` changed."""

    def answer(_params: list[Any]) -> Any:
        with fake.lock:
            active = [dict(d) for d in fake.downloads.values() if d["status"] == "active"]
        return [{**struct, **fields} for struct in active]

    return answer


HUGE = "9" * 4000
# (id, method replaced, its result, words the screen must show, rows shown meanwhile):
# a list of downloads of the wrong shape keeps the last rows (stale); an entry with
# no valid GID is left out; statistics of the wrong type only make the bar show ?.
METHOD_CASES: list[tuple[str, str, Any, str, int]] = [
    ("tellActive string", "aria2.tellActive", "not a list", "tellActive sent a string", 3),
    ("tellActive strings", "aria2.tellActive", ["a", "b"], "2 entries that are not", 3),
    ("tellActive number", "aria2.tellActive", 42, "aria2.tellActive sent a number", 3),
    ("tellActive null", "aria2.tellActive", None, "aria2.tellActive sent null", 3),
    ("gid a list", "aria2.tellActive", [{"gid": ["x"], "status": "active"}], "unique GID", 2),
    ("gid markup", "aria2.tellActive", [{"gid": "[b]x[/b]"}], "valid, unique GID", 2),
    ("stat a string", "aria2.getGlobalStat", "fast", "aria2.getGlobalStat sent a string", 3),
    ("stat a list", "aria2.getGlobalStat", [1, 2], "aria2.getGlobalStat sent a list", 3),
    ("options a list", "aria2.getGlobalOption", [], "aria2.getGlobalOption sent a list", 3),
    ("waiting an object", "aria2.tellWaiting", {"gid": "x"}, "tellWaiting sent an object", 3),
    ("stopped true", "aria2.tellStopped", True, "aria2.tellStopped sent true/false", 3),
    ("rpc error", "aria2.tellActive", RpcError("no such thing"), "no such thing", 3),
]


HOSTILE = [["x"], {"a": 1}, 7, 2.5, None, True, "9" * 5000, "[b]x\x1b[2J", -1, 10**30]


@pytest.mark.parametrize("key", [*TABLE_KEYS, *NAME_KEYS, "following", "belongsTo"])
def test_any_field_of_any_type_is_read_without_failing(key: str) -> None:
    """One download whose one field is of any type at all: it is read (a ? where the
    value is unusable), never an exception that would end the whole poll."""
    struct = {"gid": "0123456789abcdef", "status": "active", "totalLength": "10"}
    for value in HOSTILE:
        hostile = {**struct, key: value} if key != "gid" else struct
        download = parse_download(hostile, name_of(hostile))
        assert download.gid == "0123456789abcdef"
        assert isinstance(download.name, str) and isinstance(download.error_message, str)


@pytest.mark.parametrize(
    ("method", "result", "words", "rows"),
    [case[1:] for case in METHOD_CASES],
    ids=[case[0] for case in METHOD_CASES],
)
async def test_malformed_parts_are_named_in_the_bar(
    fake: FakeDaemon, tmp_path: Path, method: str, result: Any, words: str, rows: int
) -> None:
    _populate(fake)
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the sane rows")
        fake.replace(method, result)
        await until(pilot, lambda: words in screen_text(app), f"{words!r} on screen")
        await until(pilot, lambda: len(app.dashboard.shown) == rows, f"{rows} rows shown")
        assert app.is_running
        fake.restore()
        await until(pilot, lambda: "● connected" in screen_text(app), "connected again")
        await until(pilot, lambda: "⚠" not in screen_text(app), "the warning gone")
        assert len(app.dashboard.shown) == 3


FIELD_CASES: list[tuple[str, dict[str, Any]]] = [
    ("fraction", {"totalLength": "1.5"}),
    ("4000 digits", {"totalLength": HUGE, "completedLength": HUGE}),
    ("negative", {"downloadSpeed": "-5"}),
    ("huge JSON int", {"downloadSpeed": 10**30}),
    ("list", {"completedLength": [1, 2]}),
    ("missing", {"totalLength": None}),
    ("unknown status", {"status": "exploded"}),
    ("status a list", {"status": ["waiting"]}),
    ("status an object", {"status": {"is": "active"}}),
    ("status a number", {"status": 7}),
]


@pytest.mark.parametrize(
    "fields", [case[1] for case in FIELD_CASES], ids=[case[0] for case in FIELD_CASES]
)
async def test_malformed_values_show_as_question_marks(
    fake: FakeDaemon, tmp_path: Path, fields: dict[str, Any]
) -> None:
    _populate(fake)
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the sane rows")
        fake.replace("aria2.tellActive", _active_with(fake, **fields))
        await until(pilot, lambda: "shown as ?" in screen_text(app), "the malformed-values line")
        row = next(line for line in screen_text(app).splitlines() if "active.iso" in line)
        assert "?" in row or "unknown" in row
        assert app.is_running
        fake.restore()
        await until(pilot, lambda: "⚠" not in screen_text(app), "the warning gone")
        row = next(line for line in screen_text(app).splitlines() if "active.iso" in line)
        assert "?" not in row


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _multicall_of(results: list[Any]) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": 1, "result": results}).encode()


BEHAVIOUR_CASES: list[tuple[str, Behaviour, str]] = [
    ("200 KB of nested [", Raw(_nested(100_000)), "nested too deeply"),
    ("deep but valid", Raw(b'{"id":1,"result":' + _nested(900) + b"}"), "malformed"),
    ("not JSON", Raw(b"garbage{"), "not JSON-RPC"),
    ("HTML page", Html(), "not JSON-RPC"),
    ("HTTP 500", HttpError(500), "HTTP 500"),
    ("top-level list", Raw(b"[1, 2, 3]"), "malformed JSON-RPC reply"),
    ("wrong result count", Raw(_multicall_of([[1]])), "malformed system.multicall"),
    ("NaN", Raw(b'{"id": 1, "result": NaN}'), "not JSON-RPC"),
    ("huge integer", Raw(b'{"id": 1, "result": ' + b"9" * 5000 + b"}"), "malformed"),
    ("reset", Reset(), "cannot reach aria2"),
    ("half a reply", Half(), "cannot reach aria2"),
    ("endless reply", EndlessChunked(), "larger than 1 MiB"),
    ("a stall", Hang(), "no complete reply from aria2 within 2 s"),
    ("a trickle", Trickle(1, 0.1), "no complete reply from aria2 within 2 s"),
]


def _full_errors(app: Aria2TopApp) -> str:
    """The link errors in full that e shows above the event log."""
    screen = app.screen
    if not isinstance(screen, EventsScreen):
        return ""
    shown = screen.query_one("#events-errors", Static).render()
    return str(shown)


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [case[1:] for case in BEHAVIOUR_CASES],
    ids=[case[0] for case in BEHAVIOUR_CASES],
)
async def test_broken_replies_are_named_and_the_app_recovers(
    fake: FakeDaemon, tmp_path: Path, behaviour: Behaviour, words: str
) -> None:
    _populate(fake)
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the sane rows")
        fake.set_behaviour(behaviour)
        await until(pilot, lambda: "✖" in screen_text(app), "the failure in the bar")
        await pilot.press("e")  # the bar has the gist; e, the error in full
        await until(pilot, lambda: words in _full_errors(app), f"{words!r} in the full error")
        assert "\x1b" not in _full_errors(app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, EventsScreen), "the log closed")
        assert "[stale]" in screen_text(app) and app.dashboard.table.has_class("-stale")
        assert len(app.dashboard.shown) == 3, "the last good rows stay"
        fake.set_behaviour(Sane())
        await until(pilot, lambda: "● connected" in screen_text(app), "connected again", 30)
        assert not app.dashboard.table.has_class("-stale")
        assert app.is_running


async def test_a_stall_is_shown_within_two_intervals(fake: FakeDaemon, tmp_path: Path) -> None:
    """With the default deadline (10 s), a hung daemon is not called connected: the
    bar says how old the data is long before the request is given up."""
    _populate(fake)
    app = fake_app(fake, tmp_path, interval=1.0, timeout=10.0)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "● connected" in screen_text(app), "connected")
        fake.set_behaviour(Hang())
        await until(pilot, lambda: "no reply for" in screen_text(app), "the data's age")
        text = screen_text(app)
        assert "● connected" not in text and "[stale]" in text
        assert app.dashboard.table.has_class("-stale")
        await pilot.press("j", "k")  # keys keep working during the hang
        assert app.is_running
        fake.set_behaviour(Sane())
        await until(pilot, lambda: "● connected" in screen_text(app), "connected again", 30)


async def test_details_pane_survives_malformed_status(fake: FakeDaemon, tmp_path: Path) -> None:
    _populate(fake)
    gid = _gid_of(fake, "active.iso")
    fake.update(gid, totalLength="1.5", bittorrent={"info": {"name": {"x": 1}}})
    fake.replace("aria2.getFiles", [{"index": "x", "path": 5}, "junk", {"index": "1"}])
    fake.replace("aria2.getServers", "nope")
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the rows")
        focus(app, gid)
        await pilot.press("enter")
        await until(pilot, lambda: "Directory" in screen_text(app), "the overview")
        assert "? of ?" in screen_text(app) or "of ?" in screen_text(app)
        await pilot.press("2")
        await until(pilot, lambda: "files selected" in screen_text(app), "the files tab")
        await pilot.press("4")
        await until(pilot, lambda: "malformed reply to aria2.getServers" in screen_text(app), "4")
        for tab in "3567":
            await pilot.press(tab)
            await pilot.pause(0.3)
        assert app.is_running


async def test_a_flood_of_notifications_costs_a_bounded_number_of_polls(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    _populate(fake)
    app = fake_app(fake, tmp_path, interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "● connected" in screen_text(app), "connected")
        await until(pilot, lambda: fake.ws_clients == 1, "the listener")
        import time

        fake.reset_counters()
        started = time.monotonic()
        sent = 0
        while sent < 20_000:
            fake.flood(2000)
            sent += 2000
            await pilot.pause(0.05)
        elapsed = time.monotonic() - started
        polls = fake.methods.count("aria2.getGlobalStat")
        # At most one woken poll per MIN_WAKE_GAP (0.25 s), plus the timer's own.
        assert polls <= elapsed / 0.25 + elapsed / 1.0 + 2, (polls, elapsed)
        assert polls >= 1
        assert app.is_running


async def test_a_flood_of_large_notifications_is_read_slowly_and_said(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """Back-to-back 60 KiB messages: read at most 128 KiB a second, and the app says
    the daemon floods; one over 64 KiB is not a notification: said, and the link
    comes back later."""
    _populate(fake)
    app = fake_app(fake, tmp_path, interval=1.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: fake.ws_clients == 1, "the listener")
        big = '{"method": "aria2.onDownloadStart", "params": [{"gid": "' + "a" * 60_000 + '"}]}'
        for _ in range(20):
            fake.send_ws_raw(big)
        await until(pilot, lambda: "floods its notifications" in notices(app), "the flood said")
        fake.send_ws_raw("x" * (70 * 1024))
        await until(pilot, lambda: fake.ws_clients == 0, "the link to the flooder dropped")
        assert app.is_running and "● connected" in screen_text(app), "the polls go on"


@pytest.mark.parametrize(
    "message",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"method": ["aria2.onDownloadStart"], "params": [{"gid": 5}]}',
        '{"method": "aria2.onDownloadStart", "params": "x"}',
        "\x00\xff not json",
    ],
    ids=["nested", "method a list", "params a string", "binary junk"],
)
async def test_hostile_notifications_are_ignored(
    fake: FakeDaemon, tmp_path: Path, message: str
) -> None:
    _populate(fake)
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot, lambda: fake.ws_clients == 1 and len(app.dashboard.shown) == 3, "listening"
        )
        fake.reset_counters()
        fake.send_ws_raw(message)
        fake.notify("aria2.onDownloadStart", _gid_of(fake, "queued.iso"))  # a sane one after
        await until(pilot, lambda: fake.request_count > 0, "a poll after the sane one")
        assert app.is_running and "● connected" in screen_text(app)


async def test_an_action_during_a_stall_may_still_apply(fake: FakeDaemon, tmp_path: Path) -> None:
    """aria2 gets the pause but answers too late: the user hears "no answer yet", then
    what the table shows once it answers."""
    _populate(fake)
    gid = _gid_of(fake, "active.iso")
    app = fake_app(fake, tmp_path, timeout=1.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the rows")
        focus(app, gid)
        fake.set_behaviour(Trickle(1, 0.2))  # takes the pause, answers far too slowly
        await pilot.press("p")
        await until(pilot, lambda: "no answer from aria2 yet" in screen_text(app), "no answer")
        assert "may still apply" in screen_text(app)
        fake.set_behaviour(Sane())
        await until(pilot, lambda: "active.iso is paused" in notices(app), "the outcome")
        with fake.lock:
            assert fake.downloads[gid]["status"] == "paused"


async def test_an_internal_error_is_reported_and_polling_goes_on(
    fake: FakeDaemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug met while reading a reply (here: a parser that raises) is written to a
    report and named in the bar; polling goes on and recovers once it stops."""
    from aria2_top.model.downloads import parse_download as real

    _populate(fake)
    broken = {"now": True}

    def parse(*args: Any, **kwargs: Any) -> Any:
        if broken["now"]:
            raise TypeError("token:fake-secret was here")
        return real(*args, **kwargs)

    monkeypatch.setattr("aria2_top.live.download_cache.parse_download", parse)
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "unexpected TypeError" in screen_text(app), "the report")
        assert "report: " in screen_text(app) and app.is_running
        broken["now"] = False
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "rows after the next poll")
    reports = list((tmp_path / "data").glob("crash-*.txt"))
    assert len(reports) == 1, "one report, however many polls met the error"
    text = reports[0].read_text()
    assert "TypeError" in text and "fake-secret" not in text and "token:••••" in text
    assert oct(reports[0].stat().st_mode & 0o777) == "0o600"


async def test_every_notice_is_plain_text_whoever_sends_it(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """Notices carry aria2's words and typed paths: a widget's notify (which asks for
    markup, Textual's default) shows them as they are, control characters made safe."""
    _populate(fake)
    app = fake_app(fake, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the sane rows")
        app.dashboard.notify("cannot write [/x] [b]x[/b]\x1b[31m", title="[red]t")
        app.notify("second line\nnext [i]line")
        await until(pilot, lambda: "[/x] [b]x[/b]" in notices(app), "shown as typed")
        assert "\x1b" not in notices(app) and "second line\nnext [i]line" in notices(app)
        assert app.is_running


async def test_every_column_and_the_history_survive_hostile_values(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """Every column shown (limits asked with getOption), every new field of the
    wrong type or hostile: rows stay, text is shown, not obeyed, the history opens."""
    from aria2_top.config.table_setup import TableSetup
    from aria2_top.model.columns import COLUMNS
    from aria2_top.ui.screens.history import HistoryScreen

    _populate(fake)
    endpoint = Endpoint(fake.url, "fake-secret", "fake daemon")
    settings = dataclasses.replace(
        make_settings(tmp_path, timeout=2.0),
        table=TableSetup(columns=tuple(c.key for c in COLUMNS)),
    )
    app = app_for(endpoint, settings=settings)
    async with app.run_test(size=(400, 30)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 3, "the sane rows")
        fake.replace(
            "aria2.tellActive",
            _active_with(
                fake,
                dir=["not", "text"],
                numPieces="-5",
                pieceLength={"x": 1},
                infoHash="[b]\x1b]52;c;AAAA\x07",
                errorMessage="\x1b[2J[red]boom",
            ),
        )
        fake.replace("aria2.getOption", ["not", "an", "object"])

        def active() -> Any:
            return next(d for d in app.dashboard.shown if d.name == "active.iso")

        await until(pilot, lambda: active().folder == "", "a folder that is not text: none")
        assert active().num_pieces == 0 and "magnet" not in active().source, "not a hash"
        poller = app.sessions[0].poller
        poller.limits.ask_again([active().gid])  # as l does
        await until(pilot, lambda: active().limits is None, "not an object: asked again")
        fake.replace("aria2.getOption", {"max-download-limit": "-1", "max-upload-limit": [1]})
        poller.limits.ask_again([active().gid])
        await until(
            pilot,
            lambda: any(d.limits == (None, None) for d in app.dashboard.shown),
            "unusable limits shown as ?",
        )
        text = screen_text(app)
        assert "\x1b" not in text
        await pilot.press("7")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        assert "active.iso" in screen_text(app) and "\x1b" not in screen_text(app)
        assert app.is_running


def _endless() -> Callable[[list[Any]], Any]:
    """tellWaiting making up a full page of new downloads for any offset."""
    made = iter(range(10**9))

    def page(params: list[Any]) -> Any:
        offset, count = int(params[0]), int(params[1])
        return (
            [
                {"gid": f"{next(made):016x}", "status": "waiting", "totalLength": "1"}
                for _ in range(min(count, 1000))
            ]
            if offset >= 0
            else []
        )

    return page


async def test_endless_pages_are_read_no_further_than_aria2_counts(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """A daemon whose tellWaiting answers 1,000 new downloads for any offset (its
    count says 2): the app reads the count and a page more, says so, and runs on."""
    _populate(fake)
    fake.add("queued-2.iso", "waiting", total=5000, completed=0)
    app = fake_app(fake, tmp_path, max_reply_mib=64)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 4, "the sane rows")
        fake.reset_counters()
        fake.replace("aria2.tellWaiting", _endless())
        app.sessions[0].wake()
        await until(pilot, lambda: "goes on past" in screen_text(app), "the list cut short")
        shown = len(app.dashboard.shown)
        assert shown <= 2 + 1000 + 2, "the count aria2 gave, and a page more at most"
        calls = fake.methods.count("aria2.tellWaiting")
        polls = app.sessions[0].poller.ticks
        await until(pilot, lambda: app.sessions[0].poller.ticks >= polls + 4, "more polls")
        per_poll = (fake.methods.count("aria2.tellWaiting") - calls) / 4
        assert per_poll <= 3, "a page or two per poll, never an endless loop"
        assert app.is_running
        fake.restore()
        await until(pilot, lambda: len(app.dashboard.shown) == 4, "sane again")
