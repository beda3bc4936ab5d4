"""Why a file selection aria2 was asked to apply still waits (model/selection_wait.py)."""

from __future__ import annotations

import pytest

from aria2_top.model.selection_wait import Hold, hold_of, hold_words, selected_indexes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1-3,5", frozenset({1, 2, 3, 5})),
        ("2", frozenset({2})),
        (" 1, 3 ", frozenset({1, 3})),
        ("", None),  # unset: every file
        (None, None),
        ("3-1", None),
        ("a-b", None),
        ("1-", None),
    ],
)
def test_selected_indexes(value: object, expected: frozenset[int] | None) -> None:
    assert selected_indexes(value) == expected


def test_hold_of() -> None:
    # Not yet in aria2's options: it is still stopping the running download
    assert hold_of("active", False, 1, 1) is Hold.STOPPING
    assert hold_of("paused", False, 1, 1) is None  # paused meanwhile: nothing runs
    # In its options and queued while every slot is taken
    assert hold_of("waiting", True, 3, 3) is Hold.NO_SLOT
    assert hold_of("waiting", True, 2, 3) is None  # a slot is free: it starts now
    assert hold_of("active", True, 3, 3) is None  # restarted: in effect
    assert hold_of(None, True, 3, 3) is None  # gone
    assert hold_of("waiting", True, None, 3) is None  # not known: say nothing


def test_hold_words() -> None:
    words = hold_words(Hold.NO_SLOT, 3, 3)
    assert words == "the selection applies when a download slot frees: 3 running of 3"
    assert "tracker" in hold_words(Hold.STOPPING, 1, 5)
