"""``aria2-top ls`` and ``aria2-top show``: the downloads as the table shows them (a
table sized to the terminal, plain tab-separated lines on a pipe), as JSON or CSV
(the shape of :mod:`aria2_top.model.records`)."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from aria2_top.cli.completion import gid_argument
from aria2_top.cli.shell import (
    DONE,
    USAGE,
    VerbError,
    add_status_option,
    by_gid,
    daemons,
    look_all,
    run_verb,
    statuses_of,
    unreachable,
)
from aria2_top.config.settings import Settings
from aria2_top.model.columns import (
    COLUMN_BY_KEY,
    columns_for_width,
    first_direction,
    sort_downloads,
)
from aria2_top.model.downloads import Download
from aria2_top.model.file_tree import parse_files
from aria2_top.model.format import safe_text
from aria2_top.model.masking import escaped
from aria2_top.model.overview import parse_overview
from aria2_top.model.query import matcher
from aria2_top.model.records import csv_text, download_record, json_text, show_record
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2Error, Aria2RpcError

LS_LAYOUT = ("gid", "host", "status", "progress", "size", "down", "up", "eta", "name")
"""The columns of ``ls`` on a terminal (narrow ones drop, by the table's priorities)."""
PIPED = ("gid", "status", "progress", "total_length", "download_speed", "name")
"""The fields of each plain line on a pipe, tab-separated (``--json`` has them all)."""


def configure_ls(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "words", nargs="*", metavar="FILTER", help="words the name must have; host:NAME: a daemon"
    )
    add_status_option(parser)
    sortable = sorted(k for k, c in COLUMN_BY_KEY.items() if c.sort_key is not None)
    parser.add_argument(
        "--sort",
        metavar="COL",
        default="pos",
        help=f"sort by this column (pos: aria2's order; one of {', '.join(sortable)})",
    )
    parser.add_argument("--reverse", action="store_true", help="the other way round")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="a JSON list of download records")
    out.add_argument("--csv", action="store_true", help="CSV with a header row")


def ls_main(args: argparse.Namespace) -> int:
    return run_verb("ls", args, lambda settings: _ls(settings, args))


async def _ls(settings: Settings, args: argparse.Namespace) -> int:
    if args.sort != "pos" and args.sort not in COLUMN_BY_KEY:
        raise VerbError(f"no column {args.sort!r} to sort by", USAGE)
    states = statuses_of(args)
    async with daemons(settings) as reached:
        downloads = await look_all(reached)
        fleet = len(reached) > 1
    test = matcher(" ".join(args.words))
    shown = [
        d
        for d in downloads
        if (test is None or test(d)) and (states is None or d.status.value in states)
    ]
    reverse = first_direction(args.sort) != args.reverse
    shown = sort_downloads(shown, args.sort, reverse)
    if args.json:
        print(json_text([download_record(d) for d in shown], indent=1))
    elif args.csv:
        sys.stdout.write(csv_text(download_record(d) for d in shown))
    elif sys.stdout.isatty():
        _print_table(shown, fleet=fleet)
    else:
        for download in shown:
            record = download_record(download)
            print("\t".join(escaped(_plain(record[key])) for key in PIPED))
    return DONE


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _print_table(downloads: Sequence[Download], *, fleet: bool) -> None:
    """The table's own columns and cells, as many as fit the terminal."""
    width = shutil.get_terminal_size().columns
    columns = columns_for_width(width, padding=1, layout=LS_LAYOUT, fleet=fleet)
    fixed = sum(c.width + 2 for c in columns if c.key != "name")
    name_width = max(width - fixed - 2, 8)

    def line(cells: Sequence[str]) -> str:
        parts = []
        for column, cell in zip(columns, cells, strict=True):
            size = name_width if column.key == "name" else column.width
            fitted = set_cell_size(cell, size) if cell_len(cell) > size else cell
            parts.append(fitted.rjust(size) if column.right else fitted.ljust(size))
        return " " + "  ".join(parts).rstrip()

    print(line([c.label for c in columns]))
    for download in downloads:
        print(line([c.cell(download) for c in columns]))
    if not downloads:
        print(" (no downloads)")


def configure_show(parser: argparse.ArgumentParser) -> None:
    gid_argument(parser, "gid", None, "a GID, or a unique start of one")
    parser.add_argument("--json", action="store_true", help="the download's record, files included")


def show_main(args: argparse.Namespace) -> int:
    return run_verb("show", args, lambda settings: _show(settings, args))


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    async with daemons(settings) as reached:
        downloads = await look_all(reached)
        download = by_gid(downloads, args.gid)
        daemon = next(d for d in reached if d.name == download.daemon)
        try:
            status, files = await daemon.client.multicall(
                [
                    RpcCall("aria2.tellStatus", [download.gid]),
                    RpcCall("aria2.getFiles", [download.gid]),
                ]
            )
        except Aria2Error as exc:
            raise unreachable(daemon, exc) from exc
    if isinstance(status, Aria2RpcError):
        raise VerbError(f"{download.gid}: {status.message}")
    entries = parse_files(files if isinstance(files, list) else [], download.folder)
    if args.json:
        print(json_text(show_record(download, entries), indent=1))
        return DONE
    overview = parse_overview(status if isinstance(status, dict) else {})
    label_width = max((len(label) for label, _ in overview.rows), default=0)
    for label, value in overview.rows:
        print(f"{label:<{label_width}}  {value}")
    if fleet_name := (download.daemon if len(reached) > 1 else ""):
        print(f"{'Daemon':<{label_width}}  {safe_text(fleet_name)}")
    if entries:
        print(f"\nFiles ({len(entries)}):")
        for entry in entries:
            mark = "x" if entry.selected else " "
            share = f"{entry.progress:.0%}".rjust(4)
            print(f"  [{mark}] {entry.index:>4}  {share}  {safe_text(entry.path)}")
    return DONE
