"""``aria2-top history``: the history of downloads on the terminal, or as CSV."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from aria2_top.config.settings import default_data_dir
from aria2_top.model.format import full_moment, size
from aria2_top.model.lineage import upload_words
from aria2_top.model.masking import for_file
from aria2_top.storage.history_file import csv_text, history_path, read_history


def build_history_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aria2-top history",
        description=(
            "The downloads aria2-top has seen on every daemon: when each was added and "
            "finished or failed, its size, name and source (newest first)."
        ),
        epilog=(
            "example:\n  aria2-top history --csv > downloads.csv\n\n"
            f"The history is kept in {history_path(default_data_dir())}."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--csv", action="store_true", help="write CSV (for a spreadsheet)")
    parser.add_argument("--daemon", metavar="NAME", help="only the downloads of this daemon")
    return parser


def history_main(argv: Sequence[str]) -> int:
    """Print the history; exit 1 with one line when it cannot be read."""
    args = build_history_parser().parse_args(argv)
    path = history_path(default_data_dir())
    try:
        records = read_history(path)
    except OSError as exc:
        print(f"aria2-top history: {exc}", file=sys.stderr)
        return 1
    if args.daemon:
        records = [r for r in records if r.daemon.casefold() == args.daemon.casefold()]
    if args.csv:
        sys.stdout.write(csv_text(records))
        return 0
    if not records:
        print(f"aria2-top history: nothing recorded yet ({path})", file=sys.stderr)
        return 0
    for r in records:
        when = full_moment(r.ended or r.added)[:16]
        said = [
            text for text in (upload_words(r.uploaded, r.size), r.note, r.error or r.source) if text
        ]
        where = f"  ({for_file(' · '.join(said))})" if said else ""
        shown = f"{when:16}  {r.status:9} {size(r.size) if r.size else '':>7}  {for_file(r.name)}"
        print(shown + where)
    return 0
