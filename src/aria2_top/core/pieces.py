"""A piece map that fits the pane: a bitfield downsampled to cells."""

from __future__ import annotations

SHADES = " ░▒▓█"


def piece_bits(bitfield: str, num_pieces: int) -> list[bool]:
    """One bool per piece from aria2's hex bitfield (high bit first)."""
    bits: list[bool] = []
    for char in bitfield:
        try:
            nibble = int(char, 16)
        except ValueError:
            nibble = 0
        bits.extend(bool(nibble & mask) for mask in (8, 4, 2, 1))
    return bits[:num_pieces] + [False] * max(0, num_pieces - len(bits))


def piece_map(bitfield: str, num_pieces: int, cells: int) -> str:
    """``cells`` characters for ``num_pieces`` pieces: one piece per cell when they fit,
    else each cell shades the share of its pieces that are present."""
    if num_pieces <= 0 or cells <= 0:
        return ""
    bits = piece_bits(bitfield, num_pieces)
    if num_pieces <= cells:
        return "".join("█" if bit else "·" for bit in bits)
    out = []
    for cell in range(cells):
        start = cell * num_pieces // cells
        end = max(start + 1, (cell + 1) * num_pieces // cells)
        share = sum(bits[start:end]) / (end - start)
        out.append(SHADES[round(share * (len(SHADES) - 1))] if share < 1 else "█")
    return "".join(out)
