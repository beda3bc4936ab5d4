"""Sorting 100,000 rows by a column in a few milliseconds: what :func:`sorted` with a
column's ``sort_key`` gives, with the keys read in bulk.

A column's ``sort_key`` (model/columns.py) is a Python function per row that makes a
tuple, ``(0, value)`` or ``(1, 0.0)`` for no value: at 100,000 rows those calls are
most of a sort's 50 to 150 ms. Here each column's plain values are read for every
row at once (``attrgetter`` and ``map``, in C), the rows without a value are set
apart (they sort after every value, as ``(1, 0.0)`` does), and the rest are sorted
by keys of one type (numbers as floats, text casefolded), which Python compares
fastest. The order is exactly that of ``sorted(rows, key=sort_key, reverse=...)``,
ties included (the tests compare every column, both ways).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from aria2_top.model.columns import sort_key_of
from aria2_top.model.downloads import Download, Status

Values = Callable[[Sequence[Download]], list[Any]]
"""Every row's plain value for one column (None: no value), in the rows' order."""
_RANK = {status: index for index, status in enumerate(Status)}
"""How the status column ranks statuses (model/columns.py: their declared order)."""


def _attribute(name: str) -> Values:
    get = attrgetter(name)
    return lambda downloads: list(map(get, downloads))


def _folded(name: str) -> Values:
    get = attrgetter(name)
    return lambda downloads: list(map(str.casefold, map(get, downloads)))


def _status(downloads: Sequence[Download]) -> list[Any]:
    return list(map(_RANK.__getitem__, map(attrgetter("status"), downloads)))


def _seeds(downloads: Sequence[Download]) -> list[Any]:
    return [d.seeders if d.is_torrent else None for d in downloads]


def _limit(which: int) -> Values:
    def values(downloads: Sequence[Download]) -> list[Any]:
        limits = map(attrgetter("limits"), downloads)
        return [None if pair is None else pair[which] for pair in limits]

    return values


NUMBERS: dict[str, Values] = {
    "status": _status,
    "progress": _attribute("progress"),
    "size": _attribute("total"),
    "done": _attribute("completed"),
    "down": _attribute("down_speed"),
    "up": _attribute("up_speed"),
    "eta": _attribute("eta"),
    "conn": _attribute("connections"),
    "ratio": _attribute("ratio"),
    "added": _attribute("added"),
    "ended": _attribute("ended"),
    "seeds": _seeds,
    "pieces": _attribute("num_pieces"),
    "uploaded": _attribute("uploaded"),
    "down-limit": _limit(0),
    "up-limit": _limit(1),
}
"""The columns that sort by a number (``number_key``: no value after every value)."""
TEXTS: dict[str, Values] = {
    "host": _folded("daemon"),
    "name": _attribute("folded_name"),
    "error": _folded("error_message"),
    "gid": _folded("gid"),
    "full-gid": _folded("gid"),
    "folder": _folded("folder"),
    "source": _folded("source"),
}
"""The columns that sort by their text, casefolded."""


def _by_keys(downloads: Sequence[Download], keys: list[Any], reverse: bool) -> list[Download]:
    """``downloads`` sorted by ``keys`` (one each, in order), stable both ways: the
    positions are sorted by their keys, each looked up by a C call."""
    order = sorted(range(len(downloads)), key=keys.__getitem__, reverse=reverse)
    return [downloads[index] for index in order]


def sort_by_column(downloads: Sequence[Download], column: str, reverse: bool) -> list[Download]:
    """``sorted(downloads, key=sort_key_of(column), reverse=reverse)``, quicker: rows
    equal in the column keep the order they come in (give them in ``tie_key`` order
    for the table's). ``pos`` (or an unknown column) keeps them as they are."""
    if column in TEXTS:
        return _by_keys(downloads, TEXTS[column](downloads), reverse)
    values = NUMBERS.get(column)
    if values is None:
        sort_key = sort_key_of(column)
        if sort_key is None:
            return list(downloads)
        return sorted(downloads, key=sort_key, reverse=reverse)
    found = values(downloads)
    if None not in found:
        return _by_keys(downloads, list(map(float, found)), reverse)
    missing = [d for d, value in zip(downloads, found, strict=True) if value is None]
    present = [d for d, value in zip(downloads, found, strict=True) if value is not None]
    keys = [float(value) for value in found if value is not None]
    ordered = _by_keys(present, keys, reverse)
    return [*missing, *ordered] if reverse else [*ordered, *missing]
