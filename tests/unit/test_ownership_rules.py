"""Ownership rules with no daemon: what a failure never wrote is not held; a torrent's
file is complete only with its pieces."""

from __future__ import annotations

from aria2_top.model.ownership import claims_of, holders, pieces_present_for


def test_holders_leave_out_what_a_failure_never_wrote() -> None:
    gid = "%016x"
    structs = [
        {"gid": gid % 1, "status": "complete", "files": [{"path": "/d/a", "completedLength": "9"}]},
        {"gid": gid % 2, "status": "error", "files": [{"path": "/d/a", "completedLength": "0"}]},
        {"gid": gid % 3, "status": "active", "files": [{"path": "/d/b", "completedLength": "0"}]},
        {"gid": gid % 4, "status": "paused", "files": [{"path": "[METADATA]x"}]},
        {"gid": "not a gid", "status": "active", "files": [{"path": "/d/c"}]},
        {"gid": gid % 5, "status": "active", "files": [{"path": "/d/e"}]},
    ]
    found = holders(structs, {gid % 1: "a.iso"}, exclude={gid % 5})
    assert found == {"/d/a": ["a.iso"], "/d/b": ["download 000000"]}


def test_a_torrents_file_is_complete_only_with_its_pieces() -> None:
    """Two files of 3 and 5 bytes over pieces of 4: the second needs pieces 0 and 1."""
    status = {
        "gid": "0123456789abcdef",
        "status": "active",
        "dir": "/d",
        "infoHash": "ab" * 20,
        "bittorrent": {"mode": "multi", "info": {"name": "t"}},
        "pieceLength": "4",
        "numPieces": "2",
        "bitfield": "80",
        "files": [
            {"path": "/d/t/a", "length": "3", "completedLength": "3"},
            {"path": "/d/t/b", "length": "5", "completedLength": "5"},
        ],
    }
    claims = claims_of(status)
    assert claims is not None and claims.control == "/d/t.aria2"
    first, second = claims.files
    assert pieces_present_for(claims, first) and not pieces_present_for(claims, second)
    assert claims_of({**status, "dir": 5}) is None and claims_of("x") is None
