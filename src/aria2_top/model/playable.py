"""How much of a download can be played from its start: the part of its chosen file
(the largest selected one) that is here without a gap from the file's first byte.
Pure: from a tellStatus with ``files``, ``bitfield`` and ``pieceLength``."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from aria2_top.model import fields
from aria2_top.model import format as fmt
from aria2_top.model.fields import Struct
from aria2_top.model.pieces import piece_bits, valid_bitfield


@dataclass(frozen=True, slots=True)
class Playable:
    """How much of the chosen file can be played from its start."""

    path: str
    length: int
    playable: int

    @property
    def fraction(self) -> float:
        return self.playable / self.length if self.length else 0.0

    @property
    def complete(self) -> bool:
        return self.length > 0 and self.playable >= self.length


def playable(status: Struct) -> Playable | None:
    """The playable part of the largest selected file of a download (tellStatus with
    ``files``, ``bitfield``, ``pieceLength``); None when it has no such file yet."""
    files = fields.structs(status.get("files"))
    piece_length = fields.count(status.get("pieceLength")) or 0
    offsets: list[tuple[int, int, Struct]] = []
    offset = 0
    for file in files:
        length = fields.count(file.get("length")) or 0
        offsets.append((offset, length, file))
        offset += length
    chosen = [
        (start, length, file)
        for start, length, file in offsets
        if file.get("selected") != "false" and length > 0
    ]
    if not chosen:
        return None
    start, length, file = max(chosen, key=lambda item: item[1])
    path = fields.text(file.get("path")) or ""
    if not path or path.startswith("[METADATA]"):
        return None
    completed = fields.count(file.get("completedLength")) or 0
    if completed >= length:
        return Playable(path, length, length)
    if piece_length <= 0:
        return Playable(path, length, 0)
    bits = piece_bits(valid_bitfield(status.get("bitfield")))
    piece = start // piece_length
    while piece < len(bits) and bits[piece]:
        piece += 1
    here = max(0, min(length, piece * piece_length - start))
    return Playable(path, length, here)


def playable_words(ready: Playable) -> str:
    """``41% of movie.mkv (12.3M from its start)``."""
    name = fmt.safe_text(posixpath.basename(ready.path) or ready.path)
    return f"{fmt.percent(ready.fraction)} of {name} ({fmt.size(ready.playable)} from its start)"
