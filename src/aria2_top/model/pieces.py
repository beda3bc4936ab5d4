"""Pieces: aria2's hex bitfields, counted and drawn as a map that fits the pane."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.model.fields import Struct

SHADES = " ░▒▓█"
_HEX = re.compile(r"[0-9a-fA-F]*")


def valid_bitfield(value: object) -> str:
    """aria2's hex bitfield, or "" when what came is not one."""
    bitfield = fields.text(value, limit=2**26)
    return bitfield if bitfield and _HEX.fullmatch(bitfield) else ""


def pieces_present(bitfield: str) -> int:
    """How many pieces a (valid) hex bitfield says are present."""
    return int(bitfield, 16).bit_count() if bitfield else 0


def bitfield_fraction(bitfield: str, num_pieces: int | None = None) -> float:
    """Share of pieces a hex bitfield says are present (0.0 to 1.0)."""
    total = num_pieces or len(bitfield) * 4
    return min(1.0, pieces_present(bitfield) / total) if total else 0.0


def piece_bits(bitfield: str) -> list[bool]:
    """One bool per bit of a (valid) hex bitfield, high bit first."""
    bits: list[bool] = []
    for char in bitfield:
        nibble = int(char, 16)
        bits.extend(bool(nibble & mask) for mask in (8, 4, 2, 1))
    return bits


def _shade(present: int, pieces: int) -> str:
    """Blank for none, █ only for all, else ░ ▒ ▓ by thirds (one piece is never
    blank, one missing never full)."""
    if present <= 0:
        return SHADES[0]
    if present >= pieces:
        return SHADES[-1]
    return SHADES[1 + min(2, present * 3 // pieces)]


def piece_map(bitfield: str, num_pieces: int, cells: int) -> str:
    """``cells`` characters for ``num_pieces`` pieces: one piece per cell when they fit,
    else each cell shades the share of its pieces that are present. Pieces past the
    end of the bitfield count as missing."""
    if num_pieces <= 0 or cells <= 0:
        return ""
    bits = piece_bits(bitfield)
    if num_pieces <= cells:
        padded = bits[:num_pieces] + [False] * max(0, num_pieces - len(bits))
        return "".join("█" if bit else "·" for bit in padded)
    out = []
    for cell in range(cells):
        start = cell * num_pieces // cells
        end = max(start + 1, (cell + 1) * num_pieces // cells)
        present = sum(bits[start:end])
        out.append(_shade(present, end - start))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Pieces:
    """The Pieces tab: how many, how long, which are here."""

    count: int
    length: int | None
    bitfield: str

    @property
    def present(self) -> int:
        return min(self.count, pieces_present(self.bitfield))


def parse_pieces(status: Struct) -> Pieces:
    """:class:`Pieces` from a tellStatus struct (0 pieces when unusable)."""
    return Pieces(
        count=fields.count(status.get("numPieces")) or 0,
        length=fields.count(status.get("pieceLength")),
        bitfield=valid_bitfield(status.get("bitfield")),
    )
