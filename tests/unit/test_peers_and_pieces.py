"""Peers (client names from peer ids) and pieces (bitfields, the piece map) of a
torrent (model/peers.py, model/pieces.py)."""

from __future__ import annotations

import pytest

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
