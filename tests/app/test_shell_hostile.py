"""The verbs of the command line on the test suite's own fake aria2: a stalled, broken
or lying daemon ends each verb within its deadline in one line on stderr (no
traceback), names from aria2 never reach the terminal as escapes, and ``ls --json``
of 10,000 downloads asks no more than one request per page of 1,000."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.support.fake_daemon import (
    Behaviour,
    FakeDaemon,
    Half,
    Hang,
    Html,
    HttpError,
    Raw,
    Reset,
)
from tests.support.shell import Ran, to, verb

# Each verb a script runs, on a daemon that answers nothing or garbage.
VERBS: list[tuple[str, ...]] = [
    ("ls",),
    ("ls", "--json"),
    ("show", "abcdef"),
    ("pause", "--all"),
    ("remove", "abcdef"),
    ("wait", "abcdef"),
    ("limit", "--down", "1K"),
    ("options", "abcdef"),
    ("call", "aria2.getVersion"),
]
BEHAVIOURS: list[tuple[str, Behaviour]] = [
    ("html", Html()),
    ("http 502", HttpError(502)),
    ("not json", Raw(b"{not json")),
    ("escapes", Raw(b'{"jsonrpc": "2.0", "id": 1, "error": {"code": 1, "message": "\\u001b[2J"}}')),
    ("reset", Reset()),
    ("half", Half()),
]
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


def _one_clean_line(ran: Ran) -> None:
    assert "Traceback" not in ran.err, ran.err
    assert len(ran.err.splitlines()) == 1, ran.err
    assert ran.err.startswith("aria2-top "), ran.err
    for control in TERMINAL_CONTROLS:
        assert control not in ran.out + ran.err, (control, ran)


@pytest.fixture
def short_timeout(tmp_path: Path) -> list[str]:
    """A config file that gives each request one second."""
    config = tmp_path / "config.toml"
    config.write_text("timeout = 1\n")
    return ["--config", str(config)]


async def test_a_stalled_daemon_ends_every_verb_in_one_line(
    fake: FakeDaemon, short_timeout: list[str]
) -> None:
    fake.add("active.iso", "active")
    fake.set_behaviour(Hang())
    runs = await asyncio.gather(*(verb(*a, *to(fake), *short_timeout, timeout=30) for a in VERBS))
    for args, ran in zip(VERBS, runs, strict=True):
        assert ran.code == 3, (args, ran)
        assert "no answer in time" in ran.err, (args, ran.err)
        _one_clean_line(ran)


@pytest.mark.parametrize(("behaviour"), [b for _, b in BEHAVIOURS], ids=[i for i, _ in BEHAVIOURS])
async def test_a_broken_daemon_is_said_in_one_line_without_a_traceback(
    fake: FakeDaemon, short_timeout: list[str], behaviour: Behaviour
) -> None:
    fake.add("active.iso", "active")
    fake.set_behaviour(behaviour)
    for args in (("ls",), ("pause", "--all"), ("call", "aria2.getVersion")):
        ran = await verb(*args, *to(fake), *short_timeout, timeout=20)
        assert ran.code in (1, 3), (args, ran)
        _one_clean_line(ran)


@pytest.mark.parametrize(
    ("method", "reply", "code", "words"),
    [
        ("aria2.tellActive", "not a list", 1, "aria2.tellActive sent a string"),
        ("aria2.tellWaiting", [1, 2, 3], 1, "sent 3 entries that are not downloads"),
        # what the listing does not need is not checked: the rows come out as they are
        ("aria2.getGlobalStat", {"numWaiting": "\x1b[2J"}, 0, ""),
        ("aria2.tellStopped", [{"gid": "zz", "status": "\x1b[2J"}], 0, ""),
    ],
)
async def test_a_lying_daemon_is_refused_in_words(
    fake: FakeDaemon, method: str, reply: object, code: int, words: str
) -> None:
    gid = fake.add("queued.iso", "waiting")
    fake.replace(method, reply)
    ran = await verb("ls", *to(fake))
    assert ran.code == code, ran
    for control in TERMINAL_CONTROLS:
        assert control not in ran.out + ran.err
    if code:
        assert words in ran.err and not ran.out, ran
        _one_clean_line(ran)
    else:
        assert [line.split("\t")[0] for line in ran.lines] == [gid] and not ran.err


async def test_a_wrong_secret_is_exit_3_in_one_line(fake: FakeDaemon) -> None:
    ran = await verb("ls", "--rpc-url", fake.url, "--secret", "not-the-secret")
    assert ran.code == 3 and "wrong secret" in ran.err, ran
    _one_clean_line(ran)


HOSTILE = "\x1b]0;pwned\x07evil\x1b[2J\u202egnp.exe"
HOSTILE_ERROR = "\x1b[31mred\x9b1m [bold]not markup[/]"


async def test_names_and_errors_from_aria2_are_data_never_escapes(fake: FakeDaemon) -> None:
    gid = fake.add(HOSTILE, "error", errorCode="13", errorMessage=HOSTILE_ERROR)
    for args in (("ls",), ("ls", "--csv"), ("show", gid[:6]), ("wait", gid)):
        ran = await verb(*args, *to(fake))
        for control in TERMINAL_CONTROLS:
            assert control not in ran.out + ran.err, (args, ran)
        assert "Traceback" not in ran.err
    waited = await verb("wait", gid, *to(fake))
    assert waited.code == 1 and "[bold]not markup[/]" in waited.err, waited
    for as_json in (("ls", "--json"), ("show", gid, "--json")):
        ran = await verb(*as_json, *to(fake))
        for control in TERMINAL_CONTROLS:
            assert control not in ran.out, (as_json, ran.out)
        record = ran.json[0] if isinstance(ran.json, list) else ran.json
        assert record["name"] == HOSTILE and record["error_message"] == HOSTILE_ERROR
        assert record["files"][0]["path"].endswith(HOSTILE) if "files" in record else True


async def test_ls_json_of_ten_thousand_downloads_asks_once_per_page(fake: FakeDaemon) -> None:
    with fake.lock:
        for number in range(10_000):
            fake.add(f"queued-{number}.bin", "waiting", total=1000, completed=0)
    fake.reset_counters()
    ran = await verb("ls", "--json", *to(fake))
    assert ran.code == 0, ran.err
    records = json.loads(ran.out)
    assert len(records) == 10_000
    assert [r["name"] for r in records[:2]] == ["queued-0.bin", "queued-1.bin"]
    assert records[-1]["queue_position"] == 9_999  # aria2's place: 0 is the top
    pages = 10
    assert fake.request_count <= pages, fake.request_count
    assert fake.methods.count("aria2.tellWaiting") <= pages + 3, fake.methods
