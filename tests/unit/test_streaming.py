"""What is playable of a download: the chosen file's part here without a gap from
its start (ops/streaming.py)."""

from __future__ import annotations

from aria2_top.model.playable import playable, playable_words
from aria2_top.model.stream_window import WindowState, head_of, next_head, window_option
from aria2_top.ops.streaming import is_streaming, move_window


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


MiB = 2**20


def _window(head: int, here: int, *, length: int = 64 * MiB, speed: int = 0) -> int | None:
    state = WindowState(head=head, playable=here, length=length, piece_length=MiB, speed=speed)
    return next_head(state)


def test_the_head_window_moves_only_once_what_plays_reached_its_end() -> None:
    assert _window(8 * MiB, 3 * MiB) is None  # pieces of the window still missing
    assert _window(8 * MiB, 7 * MiB) == 16 * MiB  # a piece short of its end counts
    assert _window(8 * MiB, 8 * MiB) == 16 * MiB
    # 10 s of the speed ahead, when that is more than the first window
    assert _window(8 * MiB, 8 * MiB, speed=2 * MiB) == 28 * MiB
    assert _window(8 * MiB, 8 * MiB, speed=10**12) == 64 * MiB  # never past the file
    assert _window(64 * MiB, 60 * MiB) is None  # it already reaches the end
    assert _window(8 * MiB, 64 * MiB) is None  # whole
    assert _window(8 * MiB, 8 * MiB, length=0) is None
    # playing got ahead of the window (pieces came anyway): from what plays on
    assert _window(8 * MiB, 20 * MiB) == 28 * MiB


def test_head_of_reads_what_aria2_reads() -> None:
    assert head_of(window_option(24 * MiB)) == 24 * MiB
    assert window_option(24 * MiB) == "head=24576K,tail=2048K"
    assert window_option(1) == "head=1K,tail=2048K"
    assert head_of("head=8M,tail=8M") == 8 * MiB
    assert head_of("tail=8M,head=512K") == 512 * 1024
    assert head_of("head") == MiB  # aria2's default size
    assert head_of("tail=8M") is None
    assert head_of("") is None
    for hostile in (None, 7, ["head=1M"], "head=" + "9" * 40, "x" * 1000, "heads=1M"):
        assert head_of(hostile) is None


class _Stub:
    """A client whose tellStatus says ``status``; records changeOption calls."""

    def __init__(self, status: object) -> None:
        self.status = status
        self.changed: list[dict[str, str]] = []

    async def tell_status(self, gid: str, keys: list[str]) -> object:
        return self.status

    async def change_option(self, gid: str, options: dict[str, str]) -> None:
        self.changed.append(options)


async def _moved(status: object, head: int = 8 * MiB) -> tuple[int | None, list[dict[str, str]]]:
    stub = _Stub(status)
    moved = await move_window(stub, "2089b05ecca3d829", head)  # type: ignore[arg-type]
    return moved, stub.changed


async def test_move_window_moves_a_done_head_and_survives_hostile_replies() -> None:
    whole = "f" * 64  # 256 pieces of 256K: 64M, all here but the last
    done = {
        "status": "active",
        "bittorrent": {"info": {"name": "movie"}},
        "pieceLength": str(256 * 1024),
        "downloadSpeed": str(MiB),
        "bitfield": "ff" * 4 + "00" * 28,  # the first 32 pieces: 8M from the start
        "files": [{"path": "/d/movie.mkv", "length": str(64 * MiB), "completedLength": "1"}],
    }
    moved, changed = await _moved(done)
    assert moved == 18 * MiB and changed == [{"bt-prioritize-piece": "head=18432K,tail=2048K"}]
    assert (await _moved({**done, "bitfield": "ff" + "00" * 31}))[0] is None  # not done yet
    assert (await _moved({**done, "bittorrent": None}))[0] is None  # not a torrent
    assert (await _moved({**done, "status": "paused"}))[0] is None
    hostile: list[object] = [  # the client has checked it is an object (expect)
        {},
        {**done, "status": ["active"]},
        {**done, "files": "junk"},
        {**done, "files": [{"path": ["x"], "length": "-5"}]},
        {**done, "bitfield": whole * 1000 + "zz"},
        {**done, "pieceLength": "0"},
        {**done, "pieceLength": "9" * 400},
        {**done, "downloadSpeed": "-1"},
        {**done, "downloadSpeed": "1e400"},
    ]
    for status in hostile:
        moved, changed = await _moved(status)
        assert moved is None or changed, status
