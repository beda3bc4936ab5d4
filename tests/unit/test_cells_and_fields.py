"""What a row's cells say (sizes, plurals, error cells, row texts), the readers of
aria2's fields, the table's queries and sort directions, URI names, sparklines and
bencode's edge cases (model/format.py, model/columns.py, model/fields.py,
model/query.py, model/downloads.py, model/speed_samples.py, model/bencode.py)."""

from __future__ import annotations

import pytest

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.bencode import BencodeError, torrent_name
from aria2_top.model.columns import COLUMN_INDEX, error_cell, first_direction, row_texts
from aria2_top.model.downloads import Download, Status, uri_name
from aria2_top.model.query import matches
from aria2_top.model.speed_samples import spark

GID_A = "0123456789abcdef"
ROW_KEYS = (
    *("pos", "name", "status", "error", "progress", "size", "done"),
    *("down", "up", "eta", "conn", "ratio", "gid"),
)
"""The columns a row had before the host column (which only a fleet shows)."""
TORRENT = b"d4:infod4:name4:demo12:piece lengthi16384e6:pieces0:ee"


def _download(**kw: object) -> Download:
    values: dict[str, object] = {
        "gid": GID_A,
        "status": Status.ACTIVE,
        "name": "file.iso",
        "aria2_status": "active",
    }
    values.update(kw)
    return Download(**values)  # type: ignore[arg-type]


# --- model/format.py --------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "noun", "many", "expected"),
    [
        (0, "file", None, "0 files"),
        (1, "file", None, "1 file"),
        (2, "file", None, "2 files"),
        (-1, "file", None, "-1 files"),
        (1, "entry", "entries", "1 entry"),
        (10**12, "entry", "entries", "1000000000000 entries"),
        (3, "", None, "3 s"),
    ],
)
def test_plural(n: int, noun: str, many: str | None, expected: str) -> None:
    assert fmt.plural(n, noun, many) == expected


@pytest.mark.parametrize(
    ("n", "short", "exact"),
    [
        (None, "?", "?"),
        (0, "0B", "0 bytes"),
        (1, "1B", "1 byte"),
        (999, "999B", "999 bytes"),
        (1000, "1.0K", "1,000 bytes"),  # 4 digits at most: never 1000B
        (1_023_948, "999.9K", "1,023,948 bytes"),
        (1_023_949, "1.0M", "1,023,949 bytes"),
        (5 * 2**30, "5.0G", "5,368,709,120 bytes"),
        (2**63 - 1, "8.0E", "9,223,372,036,854,775,807 bytes"),
        (2**70, "1024.0E", "1,180,591,620,717,411,303,424 bytes"),  # past the last unit
    ],
)
def test_size_and_exact_size(n: int | None, short: str, exact: str) -> None:
    assert (fmt.size(n), fmt.exact_size(n)) == (short, exact)


def test_small_cell_texts() -> None:
    assert [fmt.count(n) for n in (None, 0, 12)] == ["?", "0", "12"]
    assert fmt.speed(None) == "?" and fmt.speed(-5) == "" and fmt.speed(999) == "999B/s"
    assert fmt.short_gid(GID_A) == "012345" and fmt.short_gid("ab") == "ab"
    assert fmt.progress_cell(None, 4) == "        ?"
    assert fmt.progress_cell(0.0, 4) == "       0%"
    assert fmt.progress_cell(0.5, 4) == "██    50%"
    assert fmt.progress_cell(0.9999, 4) == "███▉  99%"  # never a full bar before done
    assert fmt.progress_cell(1.0, 4) == "████ 100%"
    assert fmt.progress_cell(0.123, 2) == "▏   12%"
    assert fmt.progress_cell(0.05, 2) == "   5.0%"
    assert fmt.percent(-3.0) == "0%" and fmt.percent(7.0) == "100%"
    assert fmt.duration(float("inf")) == "" and fmt.duration(float("nan")) == ""
    assert fmt.duration(100 * 86400) == "∞" and fmt.duration(99 * 86400 + 3600) == "99d01h"


# --- model/columns.py: row texts ---------------------------------------------------


def _cells(download: Download) -> dict[str, str]:
    texts = row_texts(download)
    assert len(texts) == len(COLUMN_INDEX)
    return {key: texts[index] for key, index in COLUMN_INDEX.items()}


def test_row_texts_of_a_moving_torrent() -> None:
    download = _download(
        name="Album\x1b[31m",
        total=2048,
        completed=1024,
        uploaded=512,
        down_speed=1536,
        up_speed=0,
        connections=3,
        seeders=1,
        is_torrent=True,
        queue_position=4,
    )
    cells = _cells(download)
    assert {key: cells[key] for key in ROW_KEYS} == {
        "pos": "5",
        "name": "Album\ufffd[31m",
        "status": "active",
        "error": "",
        "progress": "████      50%",
        "size": "2.0K",
        "done": "1.0K",
        "down": "1.5K/s",
        "up": "",
        "eta": "0s",
        "conn": "1/3",
        "ratio": "0.50",
        "gid": "012345",
    }


def test_row_texts_of_unknown_and_failed_downloads() -> None:
    unknown = _download(
        status=Status.UNKNOWN,
        total=None,
        completed=None,
        down_speed=None,
        up_speed=None,
        connections=None,
        seeders=None,
    )
    cells = _cells(unknown)
    assert {key: cells[key] for key in ROW_KEYS} == {
        "pos": "",
        "name": "file.iso",
        "status": "unknown",
        "error": "",
        "progress": "            ?",
        "size": "?",
        "done": "?",
        "down": "?",
        "up": "?",
        "eta": "",
        "conn": "?",
        "ratio": "",
        "gid": "012345",
    }
    failed = _cells(_download(status=Status.ERROR, error_code="3", error_message=""))
    assert (failed["status"], failed["error"], failed["progress"], failed["size"]) == (
        "error",
        "3 (resource not found)",
        "           0%",
        "",
    )
    assert _cells(_download(is_torrent=True, connections=None, seeders=2))["conn"] == "2/?"
    assert _cells(_download(is_torrent=True))["conn"] == ""
    assert _cells(_download(connections=7))["conn"] == "7"
    assert _cells(_download(queue_position=0))["pos"] == "1"


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("3", "404\u2028x", "3: 404\u2028x"),  # aria2's own words win (made safe later)
        ("3", "", "3 (resource not found)"),
        ("", "odd", "odd"),
        ("", "", ""),
    ],
)
def test_error_cell(code: str, message: str, expected: str) -> None:
    assert error_cell(_download(error_code=code, error_message=message)) == expected


# --- model/fields.py --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("false", False), ("TRUE", None), (True, None), ("", None), (None, None)],
)
def test_flag(value: object, expected: bool | None) -> None:
    assert fields.flag(value) is expected


def test_struct_and_text_limits() -> None:
    assert fields.struct({"a": 1}) == {"a": 1}
    not_objects: list[object] = [[], "x", None, 0, [{"a": 1}]]
    assert [fields.struct(v) for v in not_objects] == [None] * 5
    assert fields.text("abcdef", 4) == "abc…"
    assert fields.text("abcd", 4) == "abcd"
    assert fields.text("日本語テキスト", 3) == "日本…"
    assert fields.text("", 1) == ""
    assert fields.texts("not a list") == [] and fields.texts(["x" * 5000])[0].endswith("…")


# --- model/query.py ---------------------------------------------------------------


def test_matches() -> None:
    download = _download(name="Straße Ünïcode.ISO", gid="abcdef0123456789")
    assert matches(download, "")
    assert matches(download, "strasse")  # casefold: ß is ss
    assert matches(download, "ÜNÏ")
    assert matches(download, ".iso")
    assert matches(download, "ABCD")  # a GID prefix, any case
    assert not matches(download, "0123")  # inside the GID, not its start
    assert matches(download, " straße")  # words, whatever the spaces
    assert matches(download, "ünïcode  straße")  # in any order
    assert not matches(download, "straße zebra")  # every word must be in the name


def test_first_direction() -> None:
    largest_first = ["progress", "size", "done", "down", "up", "conn", "ratio"]
    assert all(first_direction(key) for key in largest_first)
    assert not any(first_direction(key) for key in ["pos", "name", "status", "error", "eta"])
    assert not first_direction("gid") and not first_direction("") and not first_direction("x")


# --- model/downloads.py uri_name, model/speed_samples.py spark ---------------------


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://h/a/b%20c.iso?x=1#frag", "b c.iso"),
        ("http://h/", "http://h/"),
        ("http://h", "http://h"),
        ("ftp://h/dir/%E6%97%A5.bin", "日.bin"),
        ("http://h/a/%2F", "/"),
        ("magnet:?xt=urn:btih:ab", "magnet:?xt=urn:btih:ab"),
    ],
)
def test_uri_name(uri: str, expected: str) -> None:
    assert uri_name(uri) == expected


def test_spark() -> None:
    assert spark([0, 1, 2, 3, 4, 5, 6, 7, 8], 20) == " ▁▂▃▄▅▆▇█"
    assert spark([8, 0, 4], 2) == " █"  # the last values, scaled to their own top
    assert spark([0, 0, 0], 3) == "   "
    assert spark([], 10) == ""
    assert spark([10**18, 1], 2) == "█ "


# --- model/bencode.py: what the other tests leave out ------------------------------


def test_torrent_name_edge_cases() -> None:
    assert torrent_name(TORRENT) == "demo"
    assert torrent_name(b"d4:infod6:pieces0:ee") == ""
    assert torrent_name(b"d4:infod4:namei5e6:pieces0:ee") == ""
    assert torrent_name(b"d4:infod4:name3:\xff\xfeA6:pieces0:ee") == "\ufffd\ufffdA"
    for data in (b"le", b"i1e", b"d4:infoi1ee", b"d4:infod4:name1:aee", b"de"):
        with pytest.raises(BencodeError, match="no info dictionary with pieces"):
            torrent_name(data)


def test_magnet_of_never_names_the_metadata_placeholder() -> None:
    from aria2_top.model.magnets import magnet_of

    status = {
        "infoHash": "cd" * 20,
        "bittorrent": {"info": {"name": "[METADATA]cd"}, "announceList": [["udp://t/x"]]},
    }
    assert magnet_of(status) == "magnet:?xt=urn:btih:" + "cd" * 20 + "&tr=udp%3A%2F%2Ft%2Fx"
    assert magnet_of({"infoHash": "not a hash"}) is None
    assert magnet_of({}) is None
