"""BitTorrent peers: client names from peer IDs, progress from bitfields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from aria2_top.core.format import safe_text

# Azureus-style peer IDs: "-XXvvvv-", with the two-letter client code.
AZUREUS_CLIENTS = {
    "AZ": "Vuze",
    "BC": "BitComet",
    "BI": "BiglyBT",
    "BT": "BitTorrent",
    "DE": "Deluge",
    "KT": "KTorrent",
    "LT": "libtorrent",
    "lt": "rTorrent",
    "qB": "qBittorrent",
    "TR": "Transmission",
    "TX": "Tixati",
    "UM": "µTorrent Mac",
    "UT": "µTorrent",
    "WW": "WebTorrent",
}


def client_name(peer_id: str) -> str:
    """The client behind a percent-encoded peer ID, e.g. ``aria2 1.37.0``; else ``?``.

    Knows aria2's own ``A2-1-37-0-`` prefix and Azureus-style ``-qB4630-`` IDs.
    """
    raw = unquote_to_bytes(peer_id)
    if raw.startswith(b"A2-"):
        parts = raw[3:].split(b"-")[:3]
        if all(part.isdigit() for part in parts):
            return "aria2 " + ".".join(part.decode() for part in parts)
    if len(raw) >= 8 and raw[0:1] == b"-" and raw[7:8] == b"-":
        code = raw[1:3].decode("ascii", "replace")
        version = ".".join(chr(c) for c in raw[3:7] if chr(c).isalnum())
        return safe_text(f"{AZUREUS_CLIENTS.get(code, code)} {version}".strip())
    return "?"


def bitfield_fraction(bitfield: str, num_pieces: int | None = None) -> float:
    """Share of pieces a hex bitfield says are present (0.0 to 1.0)."""
    if not bitfield:
        return 0.0
    try:
        bits = bin(int(bitfield, 16)).count("1")
    except ValueError:
        return 0.0
    total = num_pieces or len(bitfield) * 4
    return min(1.0, bits / total) if total else 0.0


@dataclass(frozen=True, slots=True)
class Peer:
    """One row of the peers tab."""

    address: str
    client: str
    down_speed: int
    up_speed: int
    progress: float
    seeder: bool
    am_choking: bool
    peer_choking: bool


def parse_peer(struct: dict[str, Any], num_pieces: int | None = None) -> Peer:
    """A :class:`Peer` from one getPeers entry."""
    ip = str(struct.get("ip", ""))
    address = f"[{ip}]:{struct.get('port', '')}" if ":" in ip else f"{ip}:{struct.get('port', '')}"
    return Peer(
        address=safe_text(address),
        client=client_name(str(struct.get("peerId", ""))),
        down_speed=int(struct.get("downloadSpeed") or 0),
        up_speed=int(struct.get("uploadSpeed") or 0),
        progress=bitfield_fraction(str(struct.get("bitfield", "")), num_pieces),
        seeder=struct.get("seeder") == "true",
        am_choking=struct.get("amChoking") == "true",
        peer_choking=struct.get("peerChoking") == "true",
    )
