"""The line under the stats bar: status views with counts, sort order, filter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.text import Text

from aria2_top.core import format as fmt
from aria2_top.core.model import Download
from aria2_top.core.query import COLUMN_BY_KEY, View


def view_text(
    downloads: Iterable[Download],
    view: View,
    sort_column: str,
    reverse: bool,
    filter_text: str,
    tagged: int,
) -> Text:
    """`` 1 All 12 │ 2 Active 3 │ … `` then sort, filter and tag count."""
    by_status = Counter(download.status for download in downloads)
    counts = {
        candidate: sum(by_status[status] for status in candidate.statuses) for candidate in View
    }
    text = Text(no_wrap=True, overflow="ellipsis")
    for number, candidate in enumerate(View, 1):
        style = "reverse bold" if candidate is view else ""
        text.append(f" {number} {candidate.label} {counts[candidate]} ", style=style)
        text.append("│", style="dim")
    arrow = "▼" if reverse else "▲"
    text.append(f"  sort: {COLUMN_BY_KEY[sort_column].label} {arrow}", style="dim")
    if filter_text:
        text.append("  filter: ", style="dim")
        text.append(fmt.safe_text(filter_text), style="bold")
    if tagged:
        text.append(f"  tagged: {tagged}", style="bold yellow")
    return text
