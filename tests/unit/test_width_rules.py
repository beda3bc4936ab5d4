"""What fits a width: the table's columns, the stats bar's words, the view tabs, the
lines of a notice, the help's border, the daemons' and the history's columns."""

from __future__ import annotations

import pytest

from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model.columns import (
    COLUMNS,
    DEFAULT_LAYOUT,
    MIN_NAME_WIDTH,
    SORT_MARK,
    fit_columns,
    name_floor,
)
from aria2_top.model.downloads import GlobalStat
from aria2_top.model.query import View
from aria2_top.ui.notice_text import notice_width, wrap_notice
from aria2_top.ui.screens.daemons import HEADERS, MIN_ERROR_WIDTH, error_cells
from aria2_top.ui.screens.help import scroll_hint
from aria2_top.ui.screens.history import COLUMNS as HISTORY_COLUMNS
from aria2_top.ui.screens.history import NAME_WIDTH, history_widths
from aria2_top.ui.widgets.stats_bar import Counts, Link, stats_text
from aria2_top.ui.widgets.view_bar import view_text

LAYOUTS = [
    DEFAULT_LAYOUT,
    ("pos", "name", "size", "done", "down", "up", "eta", "ratio", "source", "folder"),
    ("name", "error", "gid", "full-gid"),
]


def _name_cells(width: int, **how: object) -> int:
    fitted = fit_columns(width, 1, **how)  # type: ignore[arg-type]
    return next(cells for column, cells in fitted if column.key == "name")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("view", [View.ALL, View.ERRORS, View.DONE])
@pytest.mark.parametrize("fleet", [False, True])
def test_the_name_never_narrows_as_the_line_grows(
    layout: tuple[str, ...], view: View, fleet: bool
) -> None:
    widths = {"pos": 4, "host": 9}
    before, shown = 0, 0
    for width in range(60, 251):
        fitted = fit_columns(width, 1, widths, view, fleet=fleet, layout=layout)
        name = next(cells for column, cells in fitted if column.key == "name")
        assert name >= before, f"the name narrows from {before} to {name} at {width} columns"
        if len(fitted) > 1:  # the others take what the name does not: the line is full
            assert sum(cells + 2 for _, cells in fitted) == width
        assert len(fitted) >= shown, f"a column goes at {width} columns"
        before, shown = name, len(fitted)


def test_the_name_keeps_a_third_of_the_line() -> None:
    assert name_floor(60) == MIN_NAME_WIDTH and name_floor(150) == 50
    assert _name_cells(80) == 28  # as before the rule: the 80-column table is unchanged
    assert _name_cells(120) >= 40  # a whole name at 120 (it was 23)
    assert _name_cells(200) > 80
    for width in (80, 100, 120, 160, 200):
        assert _name_cells(width) >= width // 3


def test_every_header_has_room_for_the_sort_marker() -> None:
    for width in (80, 120, 250):
        for column, cells in fit_columns(width, widths={"ratio": 3, "pos": 4}):
            assert cells >= len(column.label) + SORT_MARK or column.key == "name"
    assert all(c.key == "name" or c.width >= 1 for c in COLUMNS)


def _bar(width: int, fleet: tuple[tuple[str, Link], ...] = ()) -> str:
    link = Link(PollStatus(PollState.CONNECTED), last_reply_at=9.9)
    stat = GlobalStat(down_speed=516_900, up_speed=0, down_limit=0, up_limit=0)
    counts = Counts(active=4, waiting=1, paused=1, stopped=5)
    text = stats_text(stat, "1.37.0", "private daemon", link, 10.0, [1, 2, 3], (), counts, width)
    if fleet:
        text = stats_text(stat, "", "3 daemons", link, 10.0, [1, 2], (), counts, width, fleet)
    assert text.cell_len <= width
    return text.plain


def test_the_stats_bar_says_short_words_only_when_the_full_ones_do_not_fit() -> None:
    full = "active 4 · waiting 1 · paused 1 · stopped 5"
    for width in (100, 120, 160, 200):
        assert full in _bar(width), width
    assert "aria2 1.37.0" in _bar(200) and "private daemon" in _bar(200)
    # Less needed parts (the version, the daemon's name, the graph) go first…
    assert full in _bar(100) and "aria2 1.37.0" not in _bar(100)
    # …then the words shorten, then the counts go, whole.
    assert "act 4 wait 1 paus 1 stop 5" in _bar(78)
    assert "act 4" not in _bar(50) and "↓ 504.8K/s [∞]" in _bar(50)
    names = (
        ("nas", Link(PollStatus(PollState.CONNECTED), last_reply_at=9.9)),
        ("seedbox", Link(PollStatus(PollState.CONNECTED), last_reply_at=9.9)),
        ("laptop", Link(PollStatus(PollState.AUTH_FAILED))),
    )
    assert full in _bar(120, names)  # several daemons at 120 columns (issue 24)


def test_the_view_tabs_stay_with_a_filter_and_tags() -> None:
    counts = {view: (4_321, 10_000) for view in View}
    for width in (118, 158, 198):
        text = view_text(counts, View.ALL, "ratio", True, "ubuntu", 1_234, width=width).plain
        assert "2 Act" in text and "5 Done" in text, (width, text)
        assert "filter: ubuntu" in text and "tagged: 1,234" in text and "sort: Ratio ▼" in text
        assert len(text) <= width
    narrow = view_text(counts, View.ACTIVE, "pos", False, "ubuntu", 1_234, width=78).plain
    assert "2 Act 4,321/10,000" in narrow and "tagged: 1,234" in narrow


MESSAGE = "failed on b: missing-0.bin · 3 (resource not found): the server answered 404 Not Found"


@pytest.mark.parametrize("screen", [80, 100, 120, 200])
def test_notices_break_between_phrases(screen: int) -> None:
    width = notice_width(screen)
    lines = wrap_notice(MESSAGE, width).split("\n")
    assert " ".join(lines) == MESSAGE  # nothing lost, nothing added
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith("failed on b: missing-0.bin")  # the name with what failed
    assert not any(line.endswith(("(3", "failed", "on")) for line in lines)


def test_notices_keep_their_own_lines_and_long_words() -> None:
    assert wrap_notice("one\ntwo", 40) == "one\ntwo"
    word = "https://example.org/" + "a" * 80
    assert wrap_notice(f"cannot add {word}", 37) == f"cannot add\n{word}"
    assert wrap_notice(MESSAGE, 10) == MESSAGE  # too narrow to mean anything


def test_the_help_border_says_which_way_it_scrolls() -> None:
    assert scroll_hint(0, 0) == "Esc to close"
    assert "more below" in scroll_hint(0, 40) and "above" not in scroll_hint(0, 40)
    assert "more above" in scroll_hint(40, 40) and "below" not in scroll_hint(40, 40)
    assert "above and below" in scroll_hint(10, 40)


def test_the_daemons_error_column_takes_what_is_left_or_goes() -> None:
    from aria2_top.live.fleet import DaemonRow

    row = DaemonRow(
        "nas", "nas", "http://nas:6800/jsonrpc", "wrong secret", "1.37.0", "200.0K/s",
        "0B/s", "↓ ∞ ↑ ∞", "1 / 1 / 0", "authentication failed: wrong secret " * 3,
    )  # fmt: skip
    assert error_cells([row], 60) is None  # the line under the table says it
    wide = error_cells([row], 200)
    assert wide is not None and MIN_ERROR_WIDTH <= wide <= 48
    less, more = error_cells([row], 90), error_cells([row], 95)
    assert less is not None and more == less + 5  # what the other columns leave
    assert len(HEADERS) == 8 and HEADERS[-1][0] == "error"


@pytest.mark.parametrize("fleet", [False, True])
def test_the_history_shares_its_line_between_the_name_and_the_source(fleet: bool) -> None:
    columns = [c for c in HISTORY_COLUMNS if fleet or c.key != "daemon"]
    names = []
    for width in range(74, 250):
        widths = history_widths(width, columns)
        assert set(widths) == {c.key for c in columns}
        if width >= 94:
            assert sum(cells + 2 for cells in widths.values()) == width
        assert widths["name"] <= NAME_WIDTH and widths["source"] >= 10
        names.append(widths["name"])
    assert names == sorted(names)  # never narrower on a wider screen
    assert history_widths(200, columns)["source"] > history_widths(200, columns)["name"]
