"""The Add dialog's text and files: one line per download, mirrors, options, every bad
line named with its number (ops/add_input.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.ops.add_input import (
    MAX_FILE_BYTES,
    AddItem,
    LineProblem,
    common_options,
    parse_add_text,
    parse_line,
)

TORRENT = b"d4:infod4:name4:demo12:piece lengthi16384e6:pieces0:ee"


METALINK = (
    b'<?xml version="1.0"?><metalink xmlns="urn:ietf:params:xml:ns:metalink">'
    b'<file name="a"><url>http://h/a</url></file></metalink>'
)


def test_mirrors_share_a_line_and_options_follow_their_download() -> None:
    text = (
        "# a comment\n"
        "\n"
        "http://a.example/f.iso  ftp://b.example/f.iso\n"
        "  dir = /tmp/x \n"
        "\tout=f 1.iso\n"
        "    # an indented comment\n"
        "magnet:?xt=urn:btih:" + "a" * 40 + "\n"
        "  pause=true\n"
    )
    items, problems = parse_add_text(text)
    assert problems == []
    assert [(item.line, item.kind) for item in items] == [(3, "uris"), (7, "uris")]
    assert items[0].uris == ["http://a.example/f.iso", "ftp://b.example/f.iso"]
    assert items[0].options == {"dir": "/tmp/x", "out": "f 1.iso"}
    assert items[1].uris == ["magnet:?xt=urn:btih:" + "a" * 40]
    assert items[1].options == {"pause": "true"}
    assert items[0].label == "http://a.example/f.iso"


def test_every_bad_line_is_reported_with_its_number() -> None:
    text = "\n".join(
        [
            "  dir=/tmp",  # 1: option with no download above it
            "http://ok.example/a",  # 2
            "  no equals sign",  # 3
            "  =value",  # 4: empty option name
            "gopher://h/x",  # 5
            "example.com/file",  # 6: no scheme
            "http:///path",  # 7: no host
            "magnet:?dn=name",  # 8: no xt
            "http://h/x magnet:?xt=urn:btih:abc",  # 9: magnet not alone
            "  out=swallowed",  # 10: belongs to the bad line 9, no extra problem
        ]
    )
    items, problems = parse_add_text(text)
    assert [item.line for item in items] == [2]
    assert items[0].options == {}
    assert [str(problem) for problem in problems] == [
        "line 1: an option line needs a download above it",
        "line 3: an indented line must be option=value",
        "line 4: an indented line must be option=value",
        "line 5: unknown scheme 'gopher' (use http, https, ftp, sftp, magnet)",
        "line 6: example.com/file is neither a URI nor a .torrent/.metalink file",
        "line 7: http:///path has no host",
        "line 8: a magnet link needs an xt=urn:btih:… part",
        "line 9: a magnet link must be alone on its line",
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "# only a comment\n  # and another"])
def test_nothing_to_add(text: str) -> None:
    assert parse_add_text(text) == (
        [],
        [LineProblem(1, "nothing to add: give a URI, a magnet link or a file")],
    )


def test_schemes_are_case_insensitive_and_crlf_lines_are_read() -> None:
    items, problems = parse_add_text("HTTPS://h.example/a\r\nMAGNET:?xt=urn:btih:ab\r\n")
    assert problems == []
    assert [item.uris for item in items] == [["HTTPS://h.example/a"], ["MAGNET:?xt=urn:btih:ab"]]


def test_control_characters_never_reach_a_problem_message() -> None:
    _items, problems = parse_add_text("ex\x1b[2Jample\u202e/file\n\x7fgopher://h")
    assert [str(problem) for problem in problems] == [
        "line 1: ex\ufffd[2Jample\ufffd/file is neither a URI nor a .torrent/.metalink file",
        "line 2: \ufffdgopher://h is neither a URI nor a .torrent/.metalink file",
    ]


def test_a_unicode_uri_is_kept_as_typed() -> None:
    assert parse_line("http://exämple.org/файл.iso", 4) == AddItem(
        4, "uris", uris=["http://exämple.org/файл.iso"]
    )
    # White space splits mirrors, even inside what was meant as one name.
    assert parse_line("http://h/файл 名.iso", 5) == LineProblem(
        5, "名.iso is neither a URI nor a .torrent/.metalink file"
    )


def test_torrent_and_metalink_files_are_read(tmp_path: Path) -> None:
    torrent = tmp_path / "Demo.TORRENT"
    torrent.write_bytes(TORRENT)
    metalink = tmp_path / "list.meta4"
    metalink.write_bytes(METALINK)
    items, problems = parse_add_text(f"{torrent}\n  dir=/dl\n{metalink}\n")
    assert problems == []
    assert [(item.line, item.kind, item.path, item.data) for item in items] == [
        (1, "torrent", torrent, TORRENT),
        (3, "metalink", metalink, METALINK),
    ]
    assert items[0].options == {"dir": "/dl"}
    assert items[0].label == str(torrent)


def test_a_torrent_below_home_is_found_with_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "x.torrent").write_bytes(TORRENT)
    item = parse_line("~/x.torrent", 1)
    assert isinstance(item, AddItem)
    assert (item.kind, item.path) == ("torrent", tmp_path / "x.torrent")


def test_bad_local_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "bad.torrent").write_bytes(b"not bencode")
    (tmp_path / "nopieces.torrent").write_bytes(b"d4:infod4:name1:xee")
    (tmp_path / "broken.metalink").write_bytes(b"<metalink><file>")
    (tmp_path / "page.meta4").write_bytes(b"<html></html>")
    (tmp_path / "folder.torrent").mkdir()
    (tmp_path / "notes.txt").write_text("hi")
    lines = [
        tmp_path / "bad.torrent",
        tmp_path / "nopieces.torrent",
        tmp_path / "broken.metalink",
        tmp_path / "page.meta4",
        tmp_path / "missing.torrent",
        tmp_path / "folder.torrent",
        tmp_path / "notes.txt",
    ]
    items, problems = parse_add_text("\n".join(map(str, lines)))
    assert items == []
    messages = [problem.message for problem in problems]
    assert [problem.line for problem in problems] == [1, 2, 3, 4, 5, 6, 7]
    assert messages[0] == "bad.torrent is not a valid .torrent file (unexpected byte b'n' at 0)"
    assert messages[1] == (
        "nopieces.torrent is not a valid .torrent file (no info dictionary with pieces)"
    )
    assert messages[2].startswith("broken.metalink is not a valid .metalink file (")
    assert messages[3] == "page.meta4 is not a valid .meta4 file (no metalink element)"
    assert messages[4] == f"no such file: {tmp_path / 'missing.torrent'}"
    assert messages[5] == f"cannot read {tmp_path / 'folder.torrent'}: Is a directory"
    assert messages[6] == f"{tmp_path / 'notes.txt'} is not a .torrent, .metalink or .meta4 file"


def test_a_file_past_the_size_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.torrent"
    with big.open("wb") as handle:  # sparse: no 64 MiB written to disk
        handle.truncate(MAX_FILE_BYTES + 1)
    assert parse_line(str(big), 2) == LineProblem(2, "big.torrent is larger than 64.0M")


def test_a_control_character_in_a_file_name_is_not_echoed(tmp_path: Path) -> None:
    name = tmp_path / "e\x1b]0;x\x07.torrent"
    problem = parse_line(str(name), 1)
    assert isinstance(problem, LineProblem)
    assert "\x1b" not in problem.message and "\x07" not in problem.message
    assert problem.message.endswith("e\ufffd]0;x\ufffd.torrent")


def test_common_options() -> None:
    one = [AddItem(1, "uris", uris=["http://h/a"])]
    assert common_options(one) == ({}, [])
    assert common_options(one, folder="  /dl  ", out=" a.iso ", paused=True) == (
        {"dir": "/dl", "out": "a.iso", "pause": "true"},
        [],
    )
    assert common_options(one, folder="   ", out="") == ({}, [])
    two = [*one, AddItem(2, "uris", uris=["http://h/b"])]
    torrent = [AddItem(1, "torrent", path=Path("/t.torrent"))]
    problem = [LineProblem(1, "a file name (--out) fits only one URI download")]
    assert common_options(two, out="x") == ({"out": "x"}, problem)
    assert common_options(torrent, out="x") == ({"out": "x"}, problem)
    assert common_options([], out="x") == ({"out": "x"}, problem)


def test_line_numbers_count_only_newlines() -> None:
    _items, problems = parse_add_text("http://a/x\u2028y\nftp://")
    # U+2028 is no line break in a text box: "ftp://" is on the second line
    assert [problem.line for problem in problems] == [1, 2]
    assert "ftp://" in problems[1].message
