"""The line under the stats bar: status views with counts, sort order, filter, tags.

What the table is showing must always be readable, at 80 columns too: the sort,
the filter, the tag count and follow mode come first; the views shrink to short
names, then to names with the current view's count alone, then to the current one
alone, to make room.
"""

from __future__ import annotations

from rich.text import Text

from aria2_top.model import format as fmt
from aria2_top.model.columns import COLUMN_BY_KEY
from aria2_top.model.query import View
from aria2_top.ui.tones import tone

SHORT_LABELS = {
    View.ALL: "All",
    View.ACTIVE: "Act",
    View.WAITING: "Wait",
    View.PAUSED: "Paus",
    View.DONE: "Done",
    View.ERRORS: "Err",
}
FILTER_WIDTH = 24
"""Characters of the filter text shown before it is cut with …"""


def _count(shown: int, total: int, filtered: bool) -> str:
    return f"{shown:,}/{total:,}" if filtered else f"{total:,}"


def _state(sort_column: str, reverse: bool, filter_text: str, tagged: int, follow: bool) -> Text:
    """Sort, filter, tags, follow: what the table is showing, never cut."""
    text = Text()
    arrow = "▼" if reverse else "▲"
    text.append(f"  sort: {COLUMN_BY_KEY[sort_column].label} {arrow}", style="dim")
    if filter_text:
        shown = fmt.safe_text(filter_text)
        if len(shown) > FILTER_WIDTH:
            shown = shown[: FILTER_WIDTH - 1] + "…"
        text.append("  filter: ", style="dim")
        text.append(shown, style="bold")
    if tagged:
        text.append(f"  tagged: {tagged:,}", style=tone("bold warn"))
    if follow:
        text.append("  follow", style=tone("bold note"))
    return text


def view_text(
    counts: dict[View, tuple[int, int]],
    view: View,
    sort_column: str,
    reverse: bool,
    filter_text: str,
    tagged: int,
    *,
    follow: bool = False,
    width: int = 200,
) -> Text:
    """`` 1 All 12 │ 2 Active 3 │ … `` (``counts``: from :meth:`StatusTally.view_counts`) then
    sort, filter, tag count and follow mode, in the widest form that fits ``width``."""
    filtered = bool(filter_text.strip())
    state = _state(sort_column, reverse, filter_text, tagged, follow)
    forms = [
        _views(counts, view, filtered, short=False),
        _views(counts, view, filtered, short=True),
        _views(counts, view, filtered, short=True, bare=True),
        _views(counts, view, filtered, short=True, only=view),
    ]
    for form in forms:
        if form.cell_len + state.cell_len <= width:
            break
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(form)
    text.append_text(state)
    return text


def _views(
    counts: dict[View, tuple[int, int]],
    current: View,
    filtered: bool,
    *,
    short: bool,
    only: View | None = None,
    bare: bool = False,
) -> Text:
    """The view tabs; ``bare``: the current one alone with its count."""
    text = Text()
    for number, candidate in enumerate(View, 1):
        if only is not None and candidate is not only:
            continue
        label = SHORT_LABELS[candidate] if short else candidate.label
        style = "reverse bold" if candidate is current else ""
        if bare and candidate is not current:
            text.append(f" {number} {label} ", style=style)
            continue
        text.append(f" {number} {label} {_count(*counts[candidate], filtered)} ", style=style)
        text.append("│" if not short or only is not None else "", style="dim")
    return text
