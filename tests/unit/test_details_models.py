"""What the details pane shows: aria2's error words, the Overview and the follow-up
chain, the calls and models of each tab (model/aria2_codes.py, model/overview.py,
model/tabs.py)."""

from __future__ import annotations

import re

import pytest

from aria2_top.model.aria2_codes import ERROR_CODES, describe_error
from aria2_top.model.file_tree import (
    FileEntry,
)
from aria2_top.model.magnets import magnet_link
from aria2_top.model.overview import follow_targets, parse_overview
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

GID_A = "0123456789abcdef"


GID_B = "fedcba9876543210"


GID_C = "00000000000000aa"


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("", "", ""),
        ("", "just words", "just words"),
        ("0", "done", "done"),
        ("3", "", "3 (resource not found)"),
        ("3", "404 Not Found", "3 (resource not found): 404 Not Found"),
        ("32", "bad hash", "32 (checksum validation failed): bad hash"),
        ("31", "", "31 (removed)"),  # "not used" in aria2's table; a removed download's
        ("999", "odd", "999 (error): odd"),
        ("7", "", "7 (unfinished when aria2 stopped)"),  # not a torrent: only at shutdown
    ],
)
def test_describe_error(code: str, message: str, expected: str) -> None:
    assert describe_error(code, message) == expected


def test_error_7_of_a_torrent_is_told_by_bt_stop_timeout() -> None:
    assert describe_error("7", torrent=True, stop_timeout=60) == (
        "7 (stopped: no peer sent data for 60 s, its bt-stop-timeout)"
    )
    # The value unknown (the table and notices do not ask each download's options)
    assert describe_error("7", torrent=True) == (
        "7 (stopped: no peer sent data within its bt-stop-timeout)"
    )
    assert describe_error("3", torrent=True, stop_timeout=60) == "3 (resource not found)"


@pytest.mark.parametrize(
    ("code", "not_said", "said"),
    [
        # aria2 gives 1 to every error with no code of its own (a refused connection)
        ("1", "unknown", "failed"),
        # 22 is any HTTP error status but 401, 404 and 502-504 (a 403, a 500), not a header
        ("22", "header", "HTTP error"),
        # 29 is 502 and 504 as well as 503
        ("29", "overloaded", "502, 503 or 504"),
    ],
)
def test_error_words_match_what_aria2_uses_the_code_for(
    code: str, not_said: str, said: str
) -> None:
    words = describe_error(code)
    assert not_said not in words and said in words


def test_error_table_covers_aria2s_exit_codes() -> None:
    assert sorted(map(int, ERROR_CODES)) == [*range(33)]


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
        ("Size", "1.0K of 2.0K (50%)"),
        ("Uploaded", "?"),
        ("Speed", "↓ 1.5K/s  ↑ 0B/s"),
        ("Connections", "4 (? seeders)"),
        ("Pieces", "2 × 1.0K"),
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
    assert rows["Size"] == "0B of 0B"
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


def test_calls_for_each_tab() -> None:
    methods = {tab: [method for method, _ in calls_for(tab, GID_A)] for tab in Tab}
    assert methods == {
        Tab.OVERVIEW: ["aria2.tellStatus", "aria2.getOption"],
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


def test_the_overview_says_the_state_as_the_table_does_and_a_torrents_ratio() -> None:
    seeding = {
        "status": "active",
        "seeder": "true",
        "infoHash": "ab" * 20,
        "totalLength": "4096",
        "completedLength": "4096",
        "uploadLength": "2048",
        "bittorrent": {"info": {"name": "album"}, "mode": "multi"},
    }
    rows = dict(parse_overview(seeding).rows)
    assert rows["Status"] == "seeding (aria2: active)"
    assert rows["Ratio"] == "0.50"
    checking = {"status": "active", "verifiedLength": "10", "totalLength": "20"}
    assert dict(parse_overview(checking).rows)["Status"] == "checking (aria2: active)"
    plain = dict(parse_overview({"status": "paused"}).rows)
    assert plain["Status"] == "paused" and "Ratio" not in plain
