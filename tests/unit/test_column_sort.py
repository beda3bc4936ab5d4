"""The quick sort by a column (model/column_sort.py) gives exactly the order of
``sorted`` with the column's own ``sort_key``: every column, both ways, with ties,
rows without a value, and several daemons."""

from __future__ import annotations

import random

import pytest

from aria2_top.model.column_sort import NUMBERS, TEXTS, sort_by_column
from aria2_top.model.columns import COLUMNS, sort_key_of, tie_key
from aria2_top.model.downloads import Download, Status

NAMES = ["debian.iso", "Debian.iso", "ubuntu.iso", "a", "B", "movie.mkv", "?", "ß", "SS"]


def _download(rng: random.Random, index: int) -> Download:
    status = rng.choice(list(Status))
    torrent = rng.random() < 0.3
    return Download(
        gid=rng.choice(["00000000000000a1", "00000000000000A1", f"{index:016x}"]),
        status=status,
        name=rng.choice(NAMES),
        aria2_status=rng.choice(["active", "complete", "error"]),
        total=rng.choice([0, 100, 1000, None, 2**60 + 1, 2**60]),
        completed=rng.choice([0, 50, 100, None]),
        uploaded=rng.choice([0, 10, None]),
        down_speed=rng.choice([0, 1000, 5000, None]),
        up_speed=rng.choice([0, 10, None]),
        connections=rng.choice([0, 1, 5]),
        seeders=rng.choice([0, 3]),
        is_torrent=torrent,
        verified=rng.choice([None, 40]),
        queue_position=rng.choice([None, 0, 1, 2, index]),
        error_code=rng.choice(["", "3"]),
        error_message=rng.choice(["", "Not Found", "not found"]),
        daemon=rng.choice(["nas", "Box", "box"]),
        folder=rng.choice(["/a", "/A", "/b"]),
        num_pieces=rng.choice([0, 8, None]),
        piece_length=rng.choice([0, 16]),
        source=rng.choice(["http://x/a", "HTTP://x/a", ""]),
        added=rng.choice([None, 1.5, 2.0]),
        ended=rng.choice([None, 3.0, float(2**60)]),
        limits=rng.choice([None, (0, 10), (None, 5), (100, None)]),
    )


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("column", [c.key for c in COLUMNS])
def test_the_quick_sort_is_the_plain_sort(column: str, reverse: bool, seed: int) -> None:
    rng = random.Random(seed)
    downloads = [_download(rng, i) for i in range(rng.randrange(0, 300))]
    by_tie = sorted(downloads, key=tie_key)
    sort_key = sort_key_of(column)
    want = by_tie if sort_key is None else sorted(by_tie, key=sort_key, reverse=reverse)
    got = sort_by_column(by_tie, column, reverse)
    assert [id(d) for d in got] == [id(d) for d in want]
    shuffled = rng.sample(downloads, len(downloads))  # any order in: ties keep it
    want = shuffled if sort_key is None else sorted(shuffled, key=sort_key, reverse=reverse)
    assert [id(d) for d in sort_by_column(shuffled, column, reverse)] == [id(d) for d in want]


def test_every_sortable_column_has_its_quick_values() -> None:
    """A new column sorts by its ``sort_key`` (slower) until it is given its values
    here: the list must follow the columns."""
    quick = NUMBERS.keys() | TEXTS.keys()
    assert {c.key for c in COLUMNS if c.sort_key is not None} == quick
    assert not NUMBERS.keys() & TEXTS.keys()
