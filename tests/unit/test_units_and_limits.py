"""Byte sizes read and written, limit steps (+/-), and how limits are said
(model/units.py, ops/download_options.py)."""

from __future__ import annotations

import re

import pytest

from aria2_top.model.units import LIMIT_STEPS, UnitError, format_bytes, parse_bytes, step_limit
from aria2_top.ops.download_options import editable_value, limit_words, shown_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   ", 0),
        ("0", 0),
        ("1", 1),
        ("500K", 500 * 1024),
        ("500k", 500 * 1024),
        ("2.5M", 2_621_440),
        ("1G", 2**30),
        (" 1 g ", 2**30),
        ("300KiB/s", 300 * 1024),
        ("2mb/S", 2 * 2**20),
        ("7B", 7),
        ("0.1K", 102),  # fractions of a byte are dropped
        ("1024G", 2**40),
    ],
)
def test_parse_bytes(text: str, expected: int) -> None:
    assert parse_bytes(text) == expected


@pytest.mark.parametrize(
    "text", ["-1", "1e3", "1T", "K", "1.5.5", "1 2", "½", "1K\x00", "0x10", "1,5M", "fast"]
)
def test_parse_bytes_refuses_what_is_not_a_size(text: str) -> None:
    with pytest.raises(UnitError, match=re.escape("is not a size: use e.g. 0, 500K, 2.5M or 1G")):
        parse_bytes(text)


def test_parse_bytes_refuses_a_number_too_long_for_a_float() -> None:
    with pytest.raises(UnitError):
        parse_bytes("9" * 400)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (1, "1"),
        (1023, "1023"),
        (1024, "1K"),
        (1536, "1536"),
        (500 * 1024, "500K"),
        (2**20, "1M"),
        (3 * 2**30, "3G"),
        (2**40, "1024G"),
        (2**20 + 1024, "1025K"),
    ],
)
def test_format_bytes(n: int, expected: str) -> None:
    assert format_bytes(n) == expected
    assert parse_bytes(expected) == n  # reads back as it was


def test_limit_steps() -> None:
    assert LIMIT_STEPS[0] == 64 * 1024 and LIMIT_STEPS[-1] == 32 * 2**20
    assert len(LIMIT_STEPS) == 10
    up = [0, 64 * 1024, 32 * 2**20, 100 * 1024, 10 * 1024, 40 * 2**20]
    assert [step_limit(n, 1) for n in up] == [0, 128 * 1024, 0, 128 * 1024, 64 * 1024, 0]
    down = [0, 64 * 1024, 128 * 1024, 100 * 1024, 40 * 2**20]
    assert [step_limit(n, -1) for n in down] == [
        32 * 2**20,
        64 * 1024,
        64 * 1024,
        64 * 1024,
        32 * 2**20,
    ]
    # Up from unlimited walks nowhere; down from unlimited walks every step to the bottom.
    walked, limit = [], 0
    for _ in range(11):
        limit = step_limit(limit, -1)
        walked.append(limit)
    assert walked == [*reversed(LIMIT_STEPS), LIMIT_STEPS[0]]


def test_stepping_down_never_raises_the_limit() -> None:
    assert step_limit(10 * 1024, -1) <= 10 * 1024


def test_limit_words_and_shown_limits() -> None:
    assert [limit_words(v) for v in (None, 0, 1024, 1000, 2**20)] == [
        "unchanged",
        "unlimited",
        "1.0K/s",
        "1.0K/s",  # from 1,000 on the next unit: never 1000B
        "1.0M/s",
    ]
    assert shown_value("max-download-limit", "524288") == "512.0K/s"
    assert shown_value("max-download-limit", "0") == "no limit"
    assert shown_value("max-download-limit", "１２") == "１２"  # not ASCII digits: as is
    assert shown_value("max-mmap-limit", "9223372036854775807") == "no limit"
    assert shown_value("min-split-size", "20971520") == "20.0M"
    assert shown_value("dir", "/dl") == "/dl"


def test_values_to_edit_stay_exact() -> None:
    """What a field or $EDITOR is given reads back to the same bytes."""
    for value in ("524288", "500000", "0", "9223372036854775807"):
        edited = editable_value("max-download-limit", value)
        assert parse_bytes(edited) == int(value)
    assert editable_value("max-download-limit", "524288") == "512K"
