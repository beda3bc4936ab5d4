"""BitTorrent peers: client names from peer IDs, progress from bitfields."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from aria2_top.model import fields
from aria2_top.model.fields import Struct
from aria2_top.model.format import safe_text
from aria2_top.model.pieces import bitfield_fraction, valid_bitfield

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


@dataclass(frozen=True, slots=True)
class Peer:
    """One row of the peers tab."""

    address: str
    client: str
    down_speed: int | None
    up_speed: int | None
    progress: float
    seeder: bool
    am_choking: bool
    peer_choking: bool


def parse_peer(struct: Struct, num_pieces: int | None = None) -> Peer:
    """A :class:`Peer` from one getPeers entry (unusable values: ``?``, None, false)."""
    ip = fields.text(struct.get("ip"), 64) or "?"
    port = fields.count(struct.get("port"))
    shown_port = "?" if port is None else str(port)
    address = f"[{ip}]:{shown_port}" if ":" in ip else f"{ip}:{shown_port}"
    return Peer(
        address=safe_text(address),
        client=client_name(fields.text(struct.get("peerId"), 256) or ""),
        down_speed=fields.count(struct.get("downloadSpeed")),
        up_speed=fields.count(struct.get("uploadSpeed")),
        progress=bitfield_fraction(valid_bitfield(struct.get("bitfield")), num_pieces),
        seeder=struct.get("seeder") == "true",
        am_choking=struct.get("amChoking") == "true",
        peer_choking=struct.get("peerChoking") == "true",
    )
