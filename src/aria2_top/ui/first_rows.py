"""The first rows: the top of the table, written on the terminal before the app is
loaded, so the downloads are on screen in about a tenth of a second rather than the
half second Textual and the app take to start.

One blocking call (:mod:`aria2_top.rpc.quick_call`) asks aria2 for the rows at the
top of the table, and they are written where the dashboard will draw them, as plain
text (the header in bold): the same columns, widths and words, made by the same
model functions as the table's. Then the app starts and draws its first frame over
them (:mod:`aria2_top.ui.early_terminal` hands it the terminal); keys typed meanwhile
wait for it.

Only where the first rows are surely the table's: one daemon at a plain ``http://``
address, the table in aria2's order (``#``, not reversed) in the All or Active view.
Anything else, or a daemon that does not answer at once, and nothing is drawn early:
the app starts as it always did. No Textual here (it is what is not loaded yet).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from aria2_top.config.settings import DEFAULT_RPC_URL, Settings
from aria2_top.config.table_setup import TableSetup
from aria2_top.model import fields
from aria2_top.model.columns import (
    COLUMN_INDEX,
    chosen_widths,
    fit_columns,
    position_width,
    row_texts,
)
from aria2_top.model.downloads import (
    FIRST_KEYS,
    Download,
    listed_entries,
    name_of,
    parse_download,
)
from aria2_top.model.query import View
from aria2_top.rpc.quick_call import multicall_now
from aria2_top.ui.early_terminal import EarlyTerminal
from aria2_top.ui.table_text import PADDING, fit, header_label, padded

_log = logging.getLogger(__name__)

TABLE_TOP = 2
"""The table's header line: under the stats bar and the view tabs (app.tcss)."""
BELOW_TABLE = 1
"""The footer's line under the table."""
SCROLLBAR = 2
"""Cells the table keeps on its right for its scrollbar (a stable gutter)."""
DEADLINE = 0.3
"""Seconds the call may take: past them the app starts without first rows."""
MAX_REPLY_BYTES = 4 * 2**20
"""A larger reply (thousands of running torrents with their file lists) is left to
the app."""
VIEWS = (View.ALL, View.ACTIVE)
"""The views whose top rows are the top of aria2's lists."""


def daemon_of(settings: Settings) -> tuple[str, str | None] | None:
    """(URL, secret) of the one daemon whose rows can be drawn early, or None."""
    table = settings.table
    if settings.daemons or table.sort != "pos" or table.reverse or table.view not in VIEWS:
        return None
    return settings.rpc_url or DEFAULT_RPC_URL, settings.secret


def table_rows(height: int) -> int:
    """Rows of downloads the table shows on a terminal ``height`` lines high."""
    return max(0, height - TABLE_TOP - 1 - BELOW_TABLE)


def fetch(url: str, secret: str | None, rows: int) -> list[Any] | None:
    """aria2's statistics and the top ``rows`` of each of its lists (all the running
    ones), or None (see :func:`multicall_now`)."""
    keys = list(FIRST_KEYS)
    calls: list[tuple[str, list[Any]]] = [
        ("aria2.getGlobalStat", []),
        ("aria2.tellActive", [keys]),
        ("aria2.tellWaiting", [0, rows, keys]),
        ("aria2.tellStopped", [0, rows, keys]),
    ]
    return multicall_now(url, secret, calls, deadline=DEADLINE, max_bytes=MAX_REPLY_BYTES)


def downloads_of(replies: Sequence[Any]) -> list[Download]:
    """The downloads of :func:`fetch`'s replies in aria2's order (running, waiting,
    stopped), read as the poller reads them: entries without a valid GID, or with
    one seen before, are left out, and every value is checked."""
    _, active, waiting, stopped = (fields.structs(reply) for reply in replies)
    entries, _ = listed_entries(active, waiting, stopped)
    return [parse_download(struct, name_of(struct), place) for struct, _, place in entries]


def frame_lines(replies: Sequence[Any], width: int, height: int, table: TableSetup) -> list[str]:
    """The table's header and first rows as the dashboard draws them on a ``width`` x
    ``height`` terminal (text only), from :func:`fetch`'s replies."""
    stat = replies[0] if isinstance(replies[0], dict) else {}
    waiting = fields.count(stat.get("numWaiting"))
    own = {
        "pos": position_width(waiting - 1 if waiting else None),
        **chosen_widths(table.widths),
    }
    fitted = fit_columns(
        width - SCROLLBAR, PADDING, own, table.view, fleet=False, layout=table.columns
    )
    header = "".join(
        padded(fit(header_label(column, ("pos", False)), cells, column.right))
        for column, cells in fitted
    )
    shown = [d for d in downloads_of(replies) if d.status in table.view.statuses]
    lines = [header]
    for download in shown[: table_rows(height)]:
        texts = row_texts(download)
        lines.append(
            "".join(
                padded(fit(texts[COLUMN_INDEX[column.key]], cells, column.right))
                for column, cells in fitted
            )
        )
    return lines


def show_first_rows(settings: Settings) -> EarlyTerminal | None:
    """Draw the first rows if this start can (see the module docstring); the terminal
    to hand to the app (or to close if it never runs), else None (nothing changed)."""
    daemon = daemon_of(settings)
    if daemon is None:
        return None
    terminal = EarlyTerminal.open()
    if terminal is None:
        return None
    try:
        width, height = terminal.size()
        replies = fetch(*daemon, table_rows(height))
        if replies is not None:
            terminal.draw(frame_lines(replies, width, height, settings.table), TABLE_TOP)
            return terminal
    except Exception:  # noqa: BLE001 - a slip here must never stop the start
        _log.exception("the first rows were not drawn")
    terminal.close()
    return None
