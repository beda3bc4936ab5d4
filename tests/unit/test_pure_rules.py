"""Pure functions of the core that had no unit test of their own: the Add text
parser, the file tree and select-file value, byte units and limit steps, peer
clients, piece maps, error words, the Overview and follow-up chain, cell texts,
field readers and the table queries. No network, no running app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.aria2_codes import ERROR_CODES, describe_error
from aria2_top.model.bencode import BencodeError, torrent_name
from aria2_top.model.columns import COLUMN_INDEX, error_cell, first_direction, row_texts
from aria2_top.model.downloads import Download, Status, uri_name
from aria2_top.model.file_tree import (
    FileEntry,
    build_tree,
    parse_files,
    relative_path,
    select_file_value,
    toggled,
)
from aria2_top.model.magnets import magnet_link
from aria2_top.model.overview import follow_targets, parse_overview
from aria2_top.model.peers import client_name, parse_peer
from aria2_top.model.pieces import (
    Pieces,
    bitfield_fraction,
    parse_pieces,
    piece_bits,
    piece_map,
    pieces_present,
    valid_bitfield,
)
from aria2_top.model.query import matches
from aria2_top.model.speed_samples import spark
from aria2_top.model.tabs import (
    Files,
    Peers,
    Refused,
    Servers,
    Tab,
    TabUnavailable,
    Uri,
    calls_for,
    parse_tab,
)
from aria2_top.model.units import LIMIT_STEPS, UnitError, format_bytes, parse_bytes, step_limit
from aria2_top.ops.add_input import (
    MAX_FILE_BYTES,
    AddItem,
    LineProblem,
    common_options,
    parse_add_text,
    parse_line,
)
from aria2_top.ops.download_options import limit_words, shown_value

GID_A = "0123456789abcdef"
GID_B = "fedcba9876543210"
GID_C = "00000000000000aa"
ROW_KEYS = (
    *("pos", "name", "status", "error", "progress", "size", "done"),
    *("down", "up", "eta", "conn", "ratio", "gid"),
)
"""The columns a row had before the host column (which only a fleet shows)."""
TORRENT = b"d4:infod4:name4:demo12:piece lengthi16384e6:pieces0:ee"
METALINK = (
    b'<?xml version="1.0"?><metalink xmlns="urn:ietf:params:xml:ns:metalink">'
    b'<file name="a"><url>http://h/a</url></file></metalink>'
)


def _download(**kw: object) -> Download:
    values: dict[str, object] = {
        "gid": GID_A,
        "status": Status.ACTIVE,
        "name": "file.iso",
        "aria2_status": "active",
    }
    values.update(kw)
    return Download(**values)  # type: ignore[arg-type]


# --- ops/add_input.py -----------------------------------------------------------


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
    assert parse_line(str(big), 2) == LineProblem(2, "big.torrent is larger than 64 MiB")


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


# --- model/file_tree.py ------------------------------------------------------------


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ([], ""),
        ([7], "7"),
        ([1, 2, 3, 7], "1-3,7"),
        ([7, 3, 1, 2, 3, 2], "1-3,7"),  # order and duplicates do not matter
        ({1, 3, 5}, "1,3,5"),
        ([4, 5], "4-5"),
        ([1, 2, 4, 5, 6, 9, 10], "1-2,4-6,9-10"),
        (range(1, 10_001), "1-10000"),
        ([2**40, 2**40 + 1], f"{2**40}-{2**40 + 1}"),
    ],
)
def test_select_file_value(selected: list[int], expected: str) -> None:
    assert select_file_value(selected) == expected


def test_toggled() -> None:
    assert toggled({1, 2, 3}, frozenset({2, 3})) == {1}
    assert toggled({1, 2}, frozenset({2, 3})) == {1, 2, 3}
    assert toggled(set(), frozenset({4})) == {4}
    assert toggled({1}, frozenset()) == {1}


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("/dl/a/b.iso", "/dl", "a/b.iso"),
        ("/dl/a/b.iso", "/dl/", "a/b.iso"),
        ("/dlx/a.iso", "/dl", "dlx/a.iso"),  # a sibling folder with the same prefix
        ("C:\\dl\\sub\\a.iso", "C:\\dl", "sub/a.iso"),
        ("/else/a.iso", "", "else/a.iso"),
        ("a.iso", "/dl", "a.iso"),
        ("/dl/日本/ü.iso", "/dl", "日本/ü.iso"),
    ],
)
def test_relative_path(path: str, base: str, expected: str) -> None:
    assert relative_path(path, base) == expected


def test_parse_files_keeps_usable_entries() -> None:
    reply = [
        {"index": "1", "path": "/dl/t/a.bin", "length": "100", "completedLength": "25"},
        {"index": "2", "path": "/dl/t/b.bin", "length": "x", "completedLength": "-1"},
        {"index": "0", "path": "/dl/zero"},  # aria2 counts from 1
        {"path": "/dl/no-index"},
        {"index": "3", "path": "", "uris": [{"uri": "http://h/d/c%20d.iso?k=v"}]},
        {"index": "4", "path": "", "uris": []},
        {"index": "5", "path": "/dl/t/e", "selected": "true", "length": "0"},
        "not a struct",
    ]
    entries = parse_files(reply, "/dl")
    assert entries == [
        FileEntry(1, "t/a.bin", 100, 25, False),
        FileEntry(2, "t/b.bin", 0, 0, False),
        FileEntry(3, "c d.iso", 0, 0, False),
        FileEntry(4, "?", 0, 0, False),
        FileEntry(5, "t/e", 0, 0, True),
    ]
    assert entries[0].progress == 0.25 and entries[4].progress == 0.0
    assert parse_files("not a list", "/dl") == [] and parse_files(None, "/dl") == []


def test_build_tree_sums_folders() -> None:
    entries = [
        FileEntry(1, "album/cd1/01.flac", 100, 100, True),
        FileEntry(2, "album/cd1/02.flac", 50, 0, True),
        FileEntry(3, "album/cover.jpg", 10, 5, False),
        FileEntry(4, "readme.txt", 1, 1, True),
        FileEntry(5, "album", 7, 0, True),  # a file named like a folder beside it
    ]
    root = build_tree(entries)
    assert (root.length, root.completed, root.indices) == (168, 106, frozenset({1, 2, 3, 4, 5}))
    album = root.children["album"]
    assert (album.entry, album.path, album.length, album.completed) == (None, "album", 160, 105)
    assert album.indices == frozenset({1, 2, 3})
    cd1 = album.children["cd1"]
    assert (cd1.path, cd1.length, cd1.completed, cd1.indices) == (
        "album/cd1",
        150,
        100,
        frozenset({1, 2}),
    )
    assert sorted(child.name for child in cd1.children.values()) == ["01.flac", "02.flac"]
    files = [child for child in root.children.values() if child.entry is not None]
    assert sorted((f.name, f.length) for f in files) == [("album", 7), ("readme.txt", 1)]


def test_build_tree_odd_paths() -> None:
    root = build_tree([FileEntry(1, "", 3, 1, True), FileEntry(2, "a//b/", 4, 4, True)])
    names = {child.name: child for child in root.children.values()}
    assert set(names) == {"?", "a"}
    assert names["?"].entry == FileEntry(1, "", 3, 1, True)
    assert [child.name for child in names["a"].children.values()] == ["b"]
    assert (root.length, root.completed) == (7, 5)
    empty = build_tree([])
    assert (empty.children, empty.length, empty.indices) == ({}, 0, frozenset())


# --- model/units.py ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   ", 0),
        ("0", 0),
        ("1", 1),
        ("500K", 500 * 1024),
        ("500k", 500 * 1024),
        ("2.5M", 2_621_440),
        ("1G", 2**30),
        (" 1 g ", 2**30),
        ("300KiB/s", 300 * 1024),
        ("2mb/S", 2 * 2**20),
        ("7B", 7),
        ("0.1K", 102),  # fractions of a byte are dropped
        ("1024G", 2**40),
    ],
)
def test_parse_bytes(text: str, expected: int) -> None:
    assert parse_bytes(text) == expected


@pytest.mark.parametrize(
    "text", ["-1", "1e3", "1T", "K", "1.5.5", "1 2", "½", "1K\x00", "0x10", "1,5M", "fast"]
)
def test_parse_bytes_refuses_what_is_not_a_size(text: str) -> None:
    with pytest.raises(UnitError, match=re.escape("is not a size: use e.g. 0, 500K, 2.5M or 1G")):
        parse_bytes(text)


def test_parse_bytes_refuses_a_number_too_long_for_a_float() -> None:
    with pytest.raises(UnitError):
        parse_bytes("9" * 400)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (1, "1"),
        (1023, "1023"),
        (1024, "1K"),
        (1536, "1536"),
        (500 * 1024, "500K"),
        (2**20, "1M"),
        (3 * 2**30, "3G"),
        (2**40, "1024G"),
        (2**20 + 1024, "1025K"),
    ],
)
def test_format_bytes(n: int, expected: str) -> None:
    assert format_bytes(n) == expected
    assert parse_bytes(expected) == n  # reads back as it was


def test_limit_steps() -> None:
    assert LIMIT_STEPS[0] == 64 * 1024 and LIMIT_STEPS[-1] == 32 * 2**20
    assert len(LIMIT_STEPS) == 10
    up = [0, 64 * 1024, 32 * 2**20, 100 * 1024, 10 * 1024, 40 * 2**20]
    assert [step_limit(n, 1) for n in up] == [0, 128 * 1024, 0, 128 * 1024, 64 * 1024, 0]
    down = [0, 64 * 1024, 128 * 1024, 100 * 1024, 40 * 2**20]
    assert [step_limit(n, -1) for n in down] == [
        32 * 2**20,
        64 * 1024,
        64 * 1024,
        64 * 1024,
        32 * 2**20,
    ]
    # Up from unlimited walks nowhere; down from unlimited walks every step to the bottom.
    walked, limit = [], 0
    for _ in range(11):
        limit = step_limit(limit, -1)
        walked.append(limit)
    assert walked == [*reversed(LIMIT_STEPS), LIMIT_STEPS[0]]


def test_stepping_down_never_raises_the_limit() -> None:
    assert step_limit(10 * 1024, -1) <= 10 * 1024


# --- ops/download_options.py: limit words --------------------------------------------


def test_limit_words_and_shown_limits() -> None:
    assert [limit_words(v) for v in (None, 0, 1024, 1000, 2**20)] == [
        "unchanged",
        "unlimited",
        "1K/s",
        "1000/s",
        "1M/s",
    ]
    assert shown_value("max-download-limit", "524288") == "512K"
    assert shown_value("max-download-limit", "0") == "0"
    assert shown_value("max-download-limit", "１２") == "１２"  # not ASCII digits: as is
    assert shown_value("dir", "/dl") == "/dl"


# --- model/peers.py ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("peer_id", "expected"),
    [
        ("A2-1-37-0-%AB%CD%EF", "aria2 1.37.0"),
        ("A2-1-36-0-", "aria2 1.36.0"),
        ("%2DqB4630%2D%12%34%56%78%9A%BC%DE%F0%12%34%56%78", "qBittorrent 4.6.3.0"),
        ("-TR2940-abcdefghijkl", "Transmission 2.9.4.0"),
        ("-lt0D60-abcdefghijkl", "rTorrent 0.D.6.0"),
        ("-LT1234-", "libtorrent 1.2.3.4"),
        ("-UT355W-", "µTorrent 3.5.5.W"),
        ("-XX1234-", "XX 1.2.3.4"),  # unknown code: shown as is
        ("-qB4.6-", "?"),  # too short
        ("%2DqB%00%01%02%03%2D", "qBittorrent"),  # no printable version
        ("%2D%1B%5B1234%2D", "\ufffd[ 1.2.3.4"),  # escape in the client code
        ("%2D%FF%FE1234%2D", "\ufffd\ufffd 1.2.3.4"),
        ("A2-x-y-z-", "?"),
        ("A2-", "?"),
        ("", "?"),
        ("M7-2-2--", "?"),  # Mainline style: not known
        ("%zz", "?"),
    ],
)
def test_client_name(peer_id: str, expected: str) -> None:
    assert client_name(peer_id) == expected


def test_parse_peer() -> None:
    peer = parse_peer(
        {
            "ip": "2001:db8::1",
            "port": "6881",
            "peerId": "-TR2940-abcdefghijkl",
            "downloadSpeed": "2048",
            "uploadSpeed": "x",
            "bitfield": "f0",
            "seeder": "false",
            "amChoking": "true",
            "peerChoking": "false",
        },
        num_pieces=6,
    )
    assert peer.address == "[2001:db8::1]:6881"
    assert peer.client == "Transmission 2.9.4.0"
    assert (peer.down_speed, peer.up_speed) == (2048, None)
    assert peer.progress == 4 / 6
    assert (peer.seeder, peer.am_choking, peer.peer_choking) == (False, True, False)
    bare = parse_peer({"ip": "10.0.0.1\x1b[1m", "port": "-1", "bitfield": "zz", "seeder": True})
    assert bare.address == "10.0.0.1\ufffd[1m:?"
    assert (bare.client, bare.down_speed, bare.progress, bare.seeder) == ("?", None, 0.0, False)
    assert parse_peer({}).address == "?:?"


# --- model/pieces.py --------------------------------------------------------------


def test_bitfields() -> None:
    assert valid_bitfield("00ffA0") == "00ffA0"
    assert [valid_bitfield(v) for v in ("", "0x1f", "fg", " ff", None, 255, ["ff"])] == [""] * 7
    assert [pieces_present(b) for b in ("", "0", "f", "80", "ff" * 1000)] == [0, 0, 4, 1, 8000]
    assert piece_bits("a1") == [True, False, True, False, False, False, False, True]
    assert piece_bits("") == []
    assert bitfield_fraction("") == 0.0
    assert bitfield_fraction("f0") == 0.5
    assert bitfield_fraction("fc", 6) == 1.0
    assert bitfield_fraction("ff", 4) == 1.0  # padding bits never make it more than done
    assert bitfield_fraction("80", 0) == 1 / 8  # 0 pieces: unknown, counted from the bits


def test_piece_map_one_piece_per_cell() -> None:
    assert piece_map("a0", 4, 10) == "█·█·"
    assert piece_map("ff", 3, 3) == "███"
    assert piece_map("8", 6, 6) == "█·····"  # past the bitfield: missing
    assert piece_map("", 2, 5) == "··"
    assert [piece_map("ff", 0, 5), piece_map("ff", 8, 0), piece_map("ff", -1, 5)] == ["", "", ""]


def test_piece_map_shades_many_pieces_per_cell() -> None:
    assert piece_map("f0", 8, 2) == "█ "
    assert piece_map("c0", 8, 2) == "▒ "  # 2 of 4
    assert piece_map("e0", 8, 2) == "▓ "  # 3 of 4
    assert piece_map("80", 8, 2) == "░ "  # 1 of 4
    assert piece_map("ff" * 125, 1000, 7) == "█" * 7
    assert piece_map("", 1000, 7) == " " * 7
    assert len(piece_map("5" * 2500, 10_000, 33)) == 33
    assert piece_map("5" * 2500, 10_000, 3) == "▒▒▒"


def test_piece_map_shows_a_full_block_only_when_every_piece_is_here() -> None:
    assert piece_map("fe", 8, 1) != "█"


def test_parse_pieces() -> None:
    pieces = parse_pieces({"numPieces": "10", "pieceLength": "16384", "bitfield": "ffc0"})
    assert pieces == Pieces(count=10, length=16384, bitfield="ffc0")
    assert pieces.present == 10
    assert Pieces(count=3, length=None, bitfield="ff").present == 3  # padding bits ignored
    assert parse_pieces({"numPieces": "x", "bitfield": "no"}) == Pieces(0, None, "")


# --- model/aria2_codes.py ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("", "", ""),
        ("", "just words", "just words"),
        ("0", "done", "done"),
        ("3", "", "3 (resource not found)"),
        ("3", "404 Not Found", "3 (resource not found): 404 Not Found"),
        ("32", "bad hash", "32 (checksum validation failed): bad hash"),
        ("31", "", "31 (error)"),  # not in aria2's table
        ("999", "odd", "999 (error): odd"),
    ],
)
def test_describe_error(code: str, message: str, expected: str) -> None:
    assert describe_error(code, message) == expected


def test_error_table_covers_aria2s_exit_codes() -> None:
    assert sorted(map(int, ERROR_CODES)) == [*range(31), 32]


# --- model/overview.py ------------------------------------------------------------


def test_follow_targets() -> None:
    assert follow_targets({}) == (None, None)
    assert follow_targets({"followedBy": [GID_B, GID_C], "following": GID_A}) == (GID_B, GID_A)
    assert follow_targets({"belongsTo": GID_C}) == (None, GID_C)
    assert follow_targets({"following": GID_A, "belongsTo": GID_C}) == (None, GID_A)
    hostile = {"followedBy": ["nope", 5, GID_B.upper()], "following": "[b]x", "belongsTo": GID_C}
    assert follow_targets(hostile) == (GID_B.upper(), GID_C)
    assert follow_targets({"followedBy": GID_B, "following": ["x"]}) == (None, None)


def test_magnet_link() -> None:
    assert magnet_link("ab" * 20, "") == "magnet:?xt=urn:btih:" + "ab" * 20
    assert magnet_link("cd", "A & B/ü?") == "magnet:?xt=urn:btih:cd&dn=A%20%26%20B/%C3%BC%3F"


def test_parse_overview_rows() -> None:
    status = {
        "gid": GID_A,
        "status": "error",
        "errorCode": "3",
        "errorMessage": "gone\x1b[2J",
        "dir": "/dl",
        "totalLength": "2048",
        "completedLength": "1024",
        "uploadLength": "x",
        "downloadSpeed": "1536",
        "uploadSpeed": "0",
        "connections": "4",
        "numSeeders": "bad",
        "numPieces": "2",
        "pieceLength": "1024",
        "files": [
            {
                "path": "/dl/a.iso",
                "uris": [
                    {"uri": "http://m1/a.iso"},
                    {"uri": "http://m2/a.iso"},
                    {"uri": "http://m1/a.iso"},  # a repeat is no extra mirror
                ],
            }
        ],
        "following": GID_B,
        "belongsTo": "not a gid",
        "followedBy": [GID_C, "zz"],
    }
    overview = parse_overview(status)
    assert overview.rows == (
        ("Name", "a.iso"),
        ("GID", GID_A),
        ("Status", "error"),
        ("Error", "3 (resource not found): gone\ufffd[2J"),
        ("Directory", "/dl"),
        ("Source", "http://m1/a.iso  (+1 more)"),
        ("Size", "1.0 KiB of 2.0 KiB (50%)"),
        ("Uploaded", "?"),
        ("Speed", "↓ 1.5K/s  ↑ 0B/s"),
        ("Connections", "4 (? seeders)"),
        ("Pieces", "2 × 1.0 KiB"),
        ("Follows", GID_B),
        ("Followed by", GID_C),
    )
    assert (overview.forward, overview.back) == (GID_C, GID_B)


def test_parse_overview_of_an_empty_or_torrent_status() -> None:
    empty = parse_overview({})
    assert dict(empty.rows) == {
        "Name": "?",
        "GID": "?",
        "Status": "?",
        "Directory": "?",
        "Size": "? of ?",
        "Uploaded": "?",
        "Speed": "↓ ?  ↑ ?",
        "Connections": "?",
    }
    assert (empty.forward, empty.back) == (None, None)
    torrent = {
        "errorCode": "0",
        "infoHash": "ab" * 20,
        "totalLength": "0",
        "completedLength": "0",
        "numSeeders": "2",
        "connections": "5",
        "bittorrent": {
            "info": {"name": "Album ü"},
            "mode": "multi",
            "comment": "hi\u202e",
            "creationDate": 1_700_000_000,
            "announceList": [["http://t1/a", "http://t2/a"], "junk", [5]],
        },
    }
    rows = dict(parse_overview(torrent).rows)
    assert "Error" not in rows
    assert rows["Name"] == "Album ü"
    assert rows["Size"] == "0 bytes of 0 bytes"
    assert rows["Connections"] == "5 (2 seeders)"
    assert rows["Magnet"] == (
        "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Album%20%C3%BC"
        "&tr=http%3A%2F%2Ft1%2Fa&tr=http%3A%2F%2Ft2%2Fa"  # the trackers, once each
    )
    assert (rows["Mode"], rows["Comment"]) == ("multi", "hi\ufffd")
    assert re.fullmatch(r"2023-11-14 22:13 UTC \(.+ ago\)", rows["Created"])
    assert rows["Tracker tier 1"] == "http://t1/a http://t2/a"
    assert (rows["Tracker tier 2"], rows["Tracker tier 3"]) == ("", "")
    string_date = parse_overview({"bittorrent": {"creationDate": "1700000000"}})
    assert dict(string_date.rows)["Created"].startswith("2023-11-14 22:13 UTC (")
    for created in (0, -5, "17e8", 1.7e9, True, 253_402_300_800):
        bittorrent = {"creationDate": created}
        assert "Created" not in dict(parse_overview({"bittorrent": bittorrent}).rows)


# --- model/tabs.py -------------------------------------------------------------


def test_calls_for_each_tab() -> None:
    methods = {tab: [method for method, _ in calls_for(tab, GID_A)] for tab in Tab}
    assert methods == {
        Tab.OVERVIEW: ["aria2.tellStatus"],
        Tab.FILES: ["aria2.tellStatus", "aria2.getFiles"],
        Tab.PEERS: ["aria2.tellStatus", "aria2.getPeers"],
        Tab.SERVERS: ["aria2.getServers", "aria2.getUris", "aria2.getFiles"],
        Tab.PIECES: ["aria2.tellStatus"],
        Tab.OPTIONS: ["aria2.getOption"],
        Tab.SPEED: [],
    }
    assert all(params[0] == GID_A for tab in Tab for _, params in calls_for(tab, GID_A))
    assert [tab.label for tab in Tab] == [
        "Overview",
        "Files",
        "Peers",
        "Servers/URIs",
        "Pieces",
        "Options",
        "Speed",
    ]


def test_parse_tab_models() -> None:
    files = parse_tab(Tab.FILES, [{"dir": "/dl"}, [{"index": "1", "path": "/dl/a"}]])
    assert files == Files("/dl", [FileEntry(1, "a", 0, 0, False)])
    slow = {"ip": "1.1.1.1", "port": "1", "downloadSpeed": "5"}
    fast = {"ip": "2.2.2.2", "port": "2", "downloadSpeed": "50"}
    peers = parse_tab(Tab.PEERS, [{"infoHash": "ab"}, [slow, fast, "junk"]])
    assert isinstance(peers, Peers) and peers.is_torrent
    assert [peer.address for peer in peers.peers] == ["2.2.2.2:2", "1.1.1.1:1"]
    http = parse_tab(Tab.PEERS, [{}, Refused("no peers")])
    assert http == Peers(False, [])
    options = parse_tab(Tab.OPTIONS, [{"dir": "/dl", "split": 5, "max-tries": "0"}])
    assert options == {"dir": "/dl", "max-tries": "0"}


def test_parse_tab_servers_fall_back_to_the_file_uris() -> None:
    refused = Refused("not active")
    file_uris = [{"uris": [{"status": "used", "uri": "http://a/x"}, {"uri": 5}]}]
    servers = parse_tab(Tab.SERVERS, [refused, refused, file_uris])
    assert servers == Servers([], [Uri("used", "http://a/x"), Uri("?", "?")])
    running = parse_tab(
        Tab.SERVERS,
        [
            [{"index": "1", "servers": [{"currentUri": "http://b/x", "downloadSpeed": "9"}]}],
            [{"status": "waiting", "uri": "http://c/x"}],
            [],
        ],
    )
    assert isinstance(running, Servers)
    assert [(s.file_index, s.uri, s.down_speed) for s in running.servers] == [(1, "http://b/x", 9)]
    assert running.uris == [Uri("waiting", "http://c/x")]


def test_parse_tab_refusals() -> None:
    with pytest.raises(TabUnavailable, match=r"^aria2 says: GID not found$"):
        parse_tab(Tab.OVERVIEW, [Refused("GID not found")])
    with pytest.raises(TabUnavailable, match=re.escape("malformed reply to aria2.tellStatus")):
        parse_tab(Tab.PIECES, [["not", "a", "struct"]])
    with pytest.raises(TabUnavailable, match=re.escape("malformed reply to aria2.getFiles")):
        parse_tab(Tab.FILES, [{}, {"not": "a list"}])
    with pytest.raises(TabUnavailable, match="aria2 says: no status"):
        parse_tab(Tab.PEERS, [Refused("no status"), []])
    with pytest.raises(TabUnavailable, match="the Speed tab fetches nothing"):
        parse_tab(Tab.SPEED, [])


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
    ("n", "short", "long"),
    [
        (None, "?", "?"),
        (0, "0B", "0 bytes"),
        (1, "1B", "1 byte"),
        (999, "999B", "999 bytes"),
        (1000, "1.0K", "1.0 KiB"),  # 4 digits at most: never 1000B
        (1_023_948, "999.9K", "999.9 KiB"),
        (1_023_949, "1.0M", "1.0 MiB"),
        (5 * 2**30, "5.0G", "5.0 GiB"),
        (2**63 - 1, "8.0E", "8.0 EiB"),
        (2**70, "1024.0E", "1024.0 EiB"),  # past the last unit: stays in it
    ],
)
def test_size_and_long_size(n: int | None, short: str, long: str) -> None:
    assert (fmt.size(n), fmt.long_size(n)) == (short, long)


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
