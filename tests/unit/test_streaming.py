"""What is playable of a download: the chosen file's part here without a gap from
its start (ops/streaming.py)."""

from __future__ import annotations

from aria2_top.model.playable import playable, playable_words
from aria2_top.ops.streaming import is_streaming


def _status(bitfield: str, *files: tuple[str, int, int, str]) -> dict[str, object]:
    return {
        "pieceLength": "100",
        "bitfield": bitfield,
        "files": [
            {"path": p, "length": str(n), "completedLength": str(c), "selected": sel}
            for p, n, c, sel in files
        ],
    }


def test_playable_counts_pieces_from_the_file_start_to_the_first_gap() -> None:
    # pieces: 0-1 (intro.txt, 150 bytes), 1-9 (movie, 850 bytes): bits 1111 0111 0...
    status = _status("f700", ("/d/intro.txt", 150, 150, "true"), ("/d/movie.mkv", 850, 600, "true"))
    ready = playable(status)
    assert ready is not None and ready.path == "/d/movie.mkv"
    # the movie starts in piece 1 (at byte 150); pieces 1-3 are here, 4 is missing
    assert ready.playable == 4 * 100 - 150
    assert playable_words(ready) == "29% of movie.mkv (250B from its start)"


def test_playable_edge_cases() -> None:
    done = playable(_status("", ("/d/a.bin", 500, 500, "true")))
    assert done is not None and done.complete and done.fraction == 1.0
    unselected = _status("ff", ("/d/big.bin", 900, 0, "false"), ("/d/small.bin", 100, 0, "true"))
    chosen = playable(unselected)
    assert chosen is not None and chosen.path == "/d/small.bin"
    assert playable(_status("ff", ("[METADATA]x", 10, 0, "true"))) is None
    assert playable({"files": "junk", "bitfield": 7}) is None
    hostile = playable(_status("zz", ("/d/a.bin", 500, 10, "true")))
    assert hostile is not None and hostile.playable == 0


def test_is_streaming() -> None:
    assert is_streaming({"stream-piece-selector": "inorder"})
    assert is_streaming({"bt-prioritize-piece": "head=8M"})
    assert not is_streaming({"stream-piece-selector": "default", "bt-prioritize-piece": ""})
