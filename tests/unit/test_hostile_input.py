"""Pure pieces of the safety work: reading untrusted values, the link's words,
masking, redaction, bencode limits, existing names, the session's failed entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.daemon.process import mark_paused
from aria2_top.diagnostics.crash_report import redact, report_text
from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model import fields
from aria2_top.model.bencode import MAX_DEPTH, BencodeError, bdecode, torrent_name
from aria2_top.model.columns import position_width
from aria2_top.model.masking import MASK, mask_option, mask_uri_secrets
from aria2_top.ops.add_input import AddItem
from aria2_top.ops.existing import existing_targets, target_names, warning_lines
from aria2_top.rpc.wire import decode_reply
from aria2_top.ui.widgets.stats_bar import Link, connection_text, problems_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        ("1234", 1234),
        (77, 77),
        ("9" * 19, None),  # past 2**63 - 1
        ("9" * 4000, None),
        ("1.5", None),
        ("-5", None),
        (" 5", None),
        ("٣", None),  # a digit, but not an ASCII one
        (True, None),
        (None, None),
        ([1], None),
        (-1, None),
        (2**64, None),
    ],
)
def test_count_accepts_only_what_aria2_sends(value: object, expected: int | None) -> None:
    assert fields.count(value) == expected


def test_text_gid_and_lists() -> None:
    assert fields.text("x" * 5000) == "x" * (fields.MAX_TEXT - 1) + "…"
    assert fields.text(5) is None
    assert fields.is_gid("0123456789abcdef") and not fields.is_gid("0123456789abcdeg")
    assert not fields.is_gid(["0123456789abcdef"]) and not fields.is_gid("[b]x[/b]")
    assert fields.structs([{"a": 1}, "x", 3]) == [{"a": 1}] and fields.structs("x") == []
    assert fields.texts(["a", 1, None, "b"]) == ["a", "b"]


def test_decode_reply_refuses_what_would_hurt() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        decode_reply(b"[" * 200_000 + b"]" * 200_000)
    with pytest.raises(ValueError):
        decode_reply(b'{"result": NaN}')
    huge = decode_reply(b'{"result": ' + b"9" * 5000 + b"}")
    assert huge == {"result": "9" * 5000}  # kept as text, never converted
    assert decode_reply(b'{"result": [1, "2"]}') == {"result": [1, "2"]}


NOW = 1000.0


def _link(state: PollState, **kw: object) -> Link:
    status = PollStatus(state, kw.pop("retry_at", None), kw.pop("error", None))  # type: ignore[arg-type]
    return Link(status, stale_after=2.0, **kw)  # type: ignore[arg-type]


def test_connected_until_two_intervals_without_a_reply() -> None:
    fresh = _link(PollState.CONNECTED, last_reply_at=NOW - 1.9)
    assert connection_text(fresh, NOW, shows_data=True).plain == "● connected"
    old = _link(PollState.CONNECTED, last_reply_at=NOW - 7.2, busy_since=NOW - 6)
    assert connection_text(old, NOW, shows_data=True).plain == "◌ no reply for 7s [stale]"
    assert old.is_stale(NOW) and not fresh.is_stale(NOW)


def test_the_retry_countdown_never_sticks_at_zero() -> None:
    error = "cannot reach aria2 at http://h/jsonrpc: connection refused"
    waiting = _link(PollState.RECONNECTING, retry_at=NOW + 3.2, error=error, last_reply_at=NOW - 20)
    assert connection_text(waiting, NOW, shows_data=True).plain == (
        f"✖ no reply for 20s [stale] · retry in 4s: {error}"
    )
    due = _link(PollState.RECONNECTING, retry_at=NOW - 0.5, error=error)
    assert "retrying…" in connection_text(due, NOW).plain
    trying = _link(PollState.RECONNECTING, retry_at=NOW + 5, busy_since=NOW - 1, error=error)
    assert "retrying…" in connection_text(trying, NOW).plain
    bad = _link(PollState.BAD_REPLY, retry_at=NOW + 1, error="aria2 sent [b]junk[/b]")
    assert (
        connection_text(bad, NOW).plain
        == "✖ bad reply from aria2 · retry in 1s: aria2 sent [b]junk[/b]"
    )
    auth = _link(PollState.AUTH_FAILED, retry_at=NOW + 1, error="Unauthorized")
    assert "Unauthorized" not in connection_text(auth, NOW).plain


def test_problems_line_is_short_and_counts_the_rest() -> None:
    assert problems_text(()).plain == ""
    line = problems_text(("x" * 500, "second", "third")).plain
    assert line.startswith("  ⚠ xxx") and line.endswith("… (+2 more)") and len(line) < 100


def test_masking_and_redaction() -> None:
    shown = mask_uri_secrets("http://al:pw@h/x ftp://u@h2/ y")
    assert shown == f"http://{MASK}@h/x ftp://{MASK}@h2/ y"
    assert mask_uri_secrets("mail me@example.org") == "mail me@example.org"
    assert mask_option("http-passwd", "s3") == MASK and mask_option("http-passwd", "") == ""
    assert mask_option("rpc-secret", "x") == MASK
    assert mask_option("all-proxy", "http://u:p@proxy:3128") == f"http://{MASK}@proxy:3128"
    assert mask_option("dir", "/home/a@b") == "/home/a@b"
    text = redact("token:abc123 and 'token:xyz', the-secret, http://u:p@h/", ["the-secret"])
    assert "abc123" not in text and "xyz" not in text and "the-secret" not in text
    assert "u:p@" not in text


def test_a_report_holds_no_local_variables() -> None:
    def fails(secret: str) -> None:
        raise ValueError("bad value")

    value = "-".join(("local", "secret", "value"))  # in a variable, not in a source line
    with pytest.raises(ValueError) as caught:
        fails(value)
    report = report_text(caught.value, [])
    assert "ValueError: bad value" in report and value not in report


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"l" * (MAX_DEPTH + 1) + b"e" * (MAX_DEPTH + 1), "nested deeper"),
        (b"d" * 5000, "nested deeper"),
        (b"dl1:ae1:be", "not a string"),
        (b"di1ei2ee", "not a string"),
        (b"i--5e", "bad integer"),
        (b"i" + b"9" * 40 + b"e", "bad integer"),
        (b"99999999999999:x", "bad string length"),
        (b"5:ab", "runs past the end"),
        (b"le", "trailing data"),
    ],
)
def test_bencode_refuses_hostile_input(data: bytes, words: str) -> None:
    if words == "trailing data":
        data += b"x"
    with pytest.raises(BencodeError, match=words):
        bdecode(data)


def test_bencode_still_reads_real_torrents(tmp_path: Path) -> None:
    from tests.support.payloads import make_torrent

    assert torrent_name(make_torrent(tmp_path, {"a.txt": 10}, name="real")) == "real"
    assert bdecode(b"d1:ali1ei-2ee1:b0:e") == {b"a": [1, -2], b"b": b""}


def test_target_names_and_existing_paths(tmp_path: Path) -> None:
    uri = AddItem(1, "uris", uris=["http://h/dir/report%20final.bin?x=1"])
    assert target_names(uri, {}) == ["report final.bin"]
    assert target_names(uri, {"out": "other.bin"}) == ["other.bin"]
    assert target_names(AddItem(1, "uris", uris=["http://h/"]), {}) == ["index.html"]
    magnet = AddItem(1, "uris", uris=["magnet:?xt=urn:btih:" + "a" * 40 + "&dn=Album"])
    assert target_names(magnet, {}) == ["Album"]
    sneaky = AddItem(1, "uris", uris=["http://h/x"], options={"out": "../../etc/passwd"})
    assert target_names(sneaky, {}) == []
    (tmp_path / "report final.bin").write_text("mine")
    assert existing_targets([uri], {}, str(tmp_path)) == [tmp_path / "report final.bin"]
    assert existing_targets([uri], {}, str(tmp_path / "not-here")) == []
    (done,) = warning_lines([tmp_path / "report final.bin"])
    assert "already exists" in done and "name.1.ext" in done
    (tmp_path / "report final.bin.aria2").write_bytes(b"control")
    (unfinished,) = warning_lines([tmp_path / "report final.bin"])
    assert "not finished: aria2 will go on with it" in unfinished, "resumed, not renamed"


def test_failed_entries_of_the_session_come_back_paused(tmp_path: Path) -> None:
    session = tmp_path / "aria2c.session"
    session.write_text(
        "http://h/a\n gid=aaaaaaaaaaaaaaaa\n dir=/d\nhttp://h/b\n gid=bbbbbbbbbbbbbbbb\n"
    )
    assert mark_paused(session, {"bbbbbbbbbbbbbbbb"}) == 1
    assert session.read_text().splitlines() == [
        "http://h/a",
        " gid=aaaaaaaaaaaaaaaa",
        " dir=/d",
        "http://h/b",
        " gid=bbbbbbbbbbbbbbbb",
        " pause=true",
    ]
    assert session.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("highest", "width"), [(None, 4), (0, 4), (998, 4), (999, 5), (9_999, 6), (99_999, 7)]
)
def test_the_position_column_grows_with_the_queue(highest: int | None, width: int) -> None:
    assert position_width(highest) == width


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("header", "Authorization: Bearer PW5", f"Authorization: {MASK}"),
        ("header", "X-Thing: 1\nCookie: sid=PW6", f"X-Thing: 1\nCookie: {MASK}"),
        ("https-proxy", "puser:PW8@proxy:3128", f"{MASK}@proxy:3128"),
        ("bt-tracker", "http://t/announce?passkey=PW7", f"http://t/announce?passkey={MASK}"),
        ("header", "Accept: */*", "Accept: */*"),
    ],
)
def test_more_secrets_are_masked(name: str, value: str, shown: str) -> None:
    assert mask_option(name, value) == shown
    assert mask_uri_secrets("https://h/f.bin?a=1&token=PW9&sig=PW10") == (
        f"https://h/f.bin?a=1&token={MASK}&sig={MASK}"
    )


def test_a_short_secret_is_redacted_as_a_word_only() -> None:
    assert redact("status s and ss", ["s"]) == f"status {MASK} and ss"


def test_a_worker_failure_reports_the_error_inside_it() -> None:
    from textual.worker import WorkerFailed

    def deep() -> None:
        raise RecursionError("too deep")

    try:
        deep()
    except RecursionError as exc:
        inner = exc
    report = report_text(WorkerFailed(inner))
    assert "in a worker (WorkerFailed)" in report and "in deep" in report
