"""``[table]``: the table as the user set it up (F2 writes it), read back checked: what
is unusable is left out, with a warning."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from aria2_top.config.keys import TABLE_KEYS, unknown_keys
from aria2_top.model.columns import COLUMN_BY_KEY, DEFAULT_LAYOUT, checked_layout
from aria2_top.model.query import View


@dataclass(frozen=True, slots=True)
class TableSetup:
    """The table as the user set it up (F2, ``[table]``)."""

    columns: tuple[str, ...] = DEFAULT_LAYOUT
    widths: tuple[tuple[str, int], ...] = ()
    """(column, cells) for the columns whose width the user chose."""
    sort: str = "pos"
    reverse: bool = False
    view: View = View.ALL


VIEW_NAMES = {view.label.casefold(): view for view in View}
"""``view`` in ``[table]``: the views by their names (``all``, ``active``…)."""
MAX_COLUMN_WIDTH = 200


def read_table_setup(table: object, path: Path, warnings: list[str]) -> TableSetup:
    """``[table]``, checked: what is unusable is left out, with a warning."""
    if table is None:
        return TableSetup()
    if not isinstance(table, dict):
        warnings.append(f"table in {path} must be a table ([table]): left out")
        return TableSetup()
    unknown_keys(table, TABLE_KEYS, f"{path}: [table]", warnings)
    setup = TableSetup()
    columns = table.get("columns")
    if columns is not None:
        if isinstance(columns, list) and all(isinstance(c, str) for c in columns):
            layout, unknown = checked_layout(columns)
            if unknown:
                warnings.append(
                    f"[table] columns in {path}: no column {unknown[0]!r} (F2 lists them)"
                )
            setup = replace(setup, columns=layout)
        else:
            warnings.append(f"[table] columns in {path} must be a list of names: left out")
    widths = table.get("widths", {})
    if isinstance(widths, dict):
        chosen = []
        for key, cells in widths.items():
            if key not in COLUMN_BY_KEY:
                warnings.append(f"[table] widths in {path}: no column {key!r}")
            elif (
                isinstance(cells, int)
                and not isinstance(cells, bool)
                and 1 <= cells <= MAX_COLUMN_WIDTH
            ):
                chosen.append((key, cells))
            else:
                warnings.append(f"[table] widths in {path}: {key} must be 1 to {MAX_COLUMN_WIDTH}")
        setup = replace(setup, widths=tuple(chosen))
    else:
        warnings.append(f"[table] widths in {path} must be a table: left out")
    sort = table.get("sort")
    if sort is not None:
        if sort in COLUMN_BY_KEY:
            setup = replace(setup, sort=sort)
        else:
            warnings.append(f"[table] sort in {path}: no column {str(sort)[:30]!r}")
    reverse = table.get("reverse")
    if isinstance(reverse, bool):
        setup = replace(setup, reverse=reverse)
    elif reverse is not None:
        warnings.append(f"[table] reverse in {path} must be true or false")
    view = table.get("view")
    if view is not None:
        if isinstance(view, str) and view.casefold() in VIEW_NAMES:
            setup = replace(setup, view=VIEW_NAMES[view.casefold()])
        else:
            names = ", ".join(VIEW_NAMES)
            warnings.append(f"[table] view in {path}: {str(view)[:30]!r} is not one of {names}")
    return setup
