"""Rules of the daily screen with no daemon: what ended between two snapshots, units
that never show four digits, the palette's names for the views."""

from __future__ import annotations

from aria2_top.model.downloads import Download, Snapshot, Status, finished_or_failed
from aria2_top.model.format import size


def test_finished_or_failed_compares_snapshots() -> None:
    from aria2_top.model.downloads import GlobalStat

    def snap(*downloads: Download) -> Snapshot:
        return Snapshot(downloads, GlobalStat())

    running = Download("a" * 16, Status.ACTIVE, "a", "active")
    waiting = Download("b" * 16, Status.WAITING, "b", "waiting")
    before = snap(running, waiting)
    after = snap(
        Download("a" * 16, Status.COMPLETE, "a", "complete"),
        Download("b" * 16, Status.ERROR, "b", "error"),
    )
    assert finished_or_failed(None, after) == ([], [])
    finished, failed = finished_or_failed(before, after)
    assert [d.name for d in finished] == ["a"] and [d.name for d in failed] == ["b"]
    assert finished_or_failed(after, after) == ([], [])


def test_units_never_show_four_digits_before_the_point() -> None:
    assert size(1026867) == "1.0M" and size(1023 * 1024) == "1.0M" and size(999) == "999B"


def test_palette_names_each_view_by_its_own_key() -> None:
    from aria2_top.ui.keys import palette_entries

    views = {
        spec.description: spec.shown_keys
        for spec in palette_entries()
        if "View:" in spec.description
    }
    assert views["View: Paused"] == "4" and views["View: All"] == "1"
