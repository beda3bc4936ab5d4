"""What follows a tick works on what changed: the speed history, the endings, the
table (a tick that fetched no list hands the same ``listed`` tuple)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from aria2_top.model.columns import position_width
from aria2_top.model.downloads import Download, DownloadKey, GlobalStat, Snapshot, Status
from aria2_top.model.downloads import finished_or_failed as endings
from aria2_top.model.speed_samples import SpeedHistory
from aria2_top.ui.widgets.downloads_table import TAG_MARK, DownloadsTable

STAT = GlobalStat.parse({}, {})


def _download(gid: int, status: Status, **kw: object) -> Download:
    values: dict[str, object] = {
        "gid": f"{gid:016x}",
        "status": status,
        "name": f"file-{gid}.iso",
        "aria2_status": status.value,
        "queue_position": gid if status in (Status.WAITING, Status.PAUSED) else None,
    }
    values.update(kw)
    return Download(**values)  # type: ignore[arg-type]


def _snapshot(running: tuple[Download, ...], listed: tuple[Download, ...]) -> Snapshot:
    return Snapshot(running + listed, STAT, listed=listed)


def test_the_history_keeps_rings_only_for_downloads_that_moved() -> None:
    listed = tuple(_download(i, Status.PAUSED) for i in range(1, 1000))
    runner = _download(1000, Status.ACTIVE, down_speed=500)
    history = SpeedHistory()
    history.record(_snapshot((runner,), listed))
    history.record(_snapshot((runner,), listed))
    assert history.of(runner.key) == [(500, 0), (500, 0)]
    assert history.of(listed[0].key) == [], "no ring for a download that never moved"
    paused = _download(1000, Status.PAUSED)
    now_listed = (*listed, paused)
    history.record(_snapshot((), now_listed))
    assert history.of(runner.key)[-1] == (0, 0), "stopped: a zero, the ring kept"
    history.record(_snapshot((), listed))
    assert history.of(runner.key) == [], "gone from the daemon: forgotten"


def test_endings_look_at_the_running_downloads_when_the_lists_are_the_same() -> None:
    listed = (_download(1, Status.COMPLETE), _download(2, Status.PAUSED))
    seeding = _download(3, Status.SEEDING, is_torrent=True)
    before = _snapshot((_download(3, Status.ACTIVE),), listed)
    finished, failed = endings(before, _snapshot((seeding,), listed))
    assert finished == [seeding] and failed == [], "a torrent that began to seed"
    assert endings(before, _snapshot((), listed)) == ([], [])
    # the lists fetched anew (another tuple): every download is looked at
    waiting = _snapshot((), (_download(3, Status.WAITING), *listed))
    assert endings(waiting, _snapshot((seeding,), (*listed,)))[0] == [seeding]


def test_no_endings_are_announced_after_a_partial_snapshot() -> None:
    partial = Snapshot((_download(1, Status.PAUSED),), STAT, partial=True)
    done = _snapshot((), tuple(_download(i, Status.COMPLETE) for i in range(2, 50)))
    assert endings(partial, done) == ([], []), "the first full table is state, not news"


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DownloadsTable()


LISTED = [_download(i, Status.PAUSED) for i in range(1, 30)]
RUNNER = _download(100, Status.ACTIVE, down_speed=1000)


async def test_the_table_looks_only_at_the_fresh_rows_and_still_shows_every_change() -> None:
    listed, runner = LISTED, RUNNER
    async with _TableApp().run_test(size=(120, 20)) as pilot:
        table = pilot.app.query_one(DownloadsTable)
        table.show([runner, *listed], set())
        await pilot.pause()
        faster = _download(100, Status.ACTIVE, down_speed=9_000_000)
        table.show([faster, *listed], set(), fresh=[faster])
        await pilot.pause()
        assert table._row(faster.key).texts != table._row(listed[0].key).texts
        assert "8.6M" in "".join(table._row(faster.key).texts), "the new speed drawn"
        tagged: set[DownloadKey] = {listed[3].key}
        table.show([faster, *listed], tagged, fresh=[faster])
        assert table._row(listed[3].key).tagged, "a tag changed with no fresh row"
        # fresh rows the last call never showed: every row is looked at instead
        other = [_download(i, Status.COMPLETE) for i in range(200, 205)]
        table.show([faster, *other], tagged, fresh=[faster])
        assert table.keys == [faster.key, *(d.key for d in other)]
        assert table._row(other[0].key).status is Status.COMPLETE


async def test_the_table_knows_every_download_so_a_view_switch_costs_the_order_only() -> None:
    listed, runner = LISTED, RUNNER
    async with _TableApp().run_test(size=(120, 20)) as pilot:
        table = pilot.app.query_one(DownloadsTable)
        table.know([runner, *listed])
        table.show([runner], set(), fresh=[runner])  # the Active view
        await pilot.pause()
        table.show(listed, set(), fresh=[runner])  # the Paused view: rows it knows
        await pilot.pause()
        assert table.keys == [d.key for d in listed]
        assert table._row(listed[4].key).texts[2] == "file-5.iso"
        renamed = _download(5, Status.PAUSED, name="renamed.iso")
        table.know([runner, *listed[:4], renamed, *listed[5:10]])  # fetched anew
        table.show([*listed[:4], renamed, *listed[5:10]], set(), fresh=[runner])
        assert "renamed.iso" in table._row(renamed.key).texts
        assert listed[20].key not in table._downloads, "gone from aria2: forgotten"


async def test_the_queue_number_column_is_as_wide_as_the_whole_queue_from_the_first_rows() -> None:
    """The first screenful of a 10,000-download queue comes before the rest: # is as
    wide as aria2's count says from then on, so no column moves when the rest comes."""
    queued = [replace(d, queue_position=i) for i, d in enumerate(LISTED)]
    async with _TableApp().run_test(size=(120, 20)) as pilot:
        table = pilot.app.query_one(DownloadsTable)
        table.know(queued)
        narrow = table.shown_columns[0], table._widths[0]
        table.know(queued, queued=10_000)
        assert table.shown_columns[0].key == narrow[0].key == "pos"
        assert table._widths[0] == position_width(9_999) > narrow[1]


async def test_tags_and_dimming_show_on_rows_drawn_after_they_changed() -> None:
    """Tagging every row repaints only the rows on screen: the others show their tag
    (and their daemon's dimming) when they scroll into view, and lose it the same way."""
    rows = [_download(i, Status.PAUSED) for i in range(1, 200)]
    async with _TableApp().run_test(size=(120, 20)) as pilot:
        table = pilot.app.query_one(DownloadsTable)
        table.show(rows, set())
        await pilot.pause()

        def drawn() -> list[str]:
            return [table.render_line(y).text for y in range(1, table.size.height)]

        assert not any(TAG_MARK in line for line in drawn())
        table.show(rows, {d.key for d in rows}, fresh=[])
        await pilot.pause()
        assert all(TAG_MARK in line for line in drawn()), "the rows on screen, tagged"
        table.move_cursor(len(rows) - 1)  # the end: rows never drawn since the tags came
        await pilot.pause()
        assert "file-199.iso" in drawn()[-1]
        assert all(TAG_MARK in line for line in drawn()), "rows drawn later show the tag"
        table.show(rows, set(), fresh=[], stale=frozenset({rows[0].daemon}))
        table.move_cursor(0)
        await pilot.pause()
        assert not any(TAG_MARK in line for line in drawn()), "untagged, back at the top"
        assert all(table._row(d.key).stale for d in rows[:5]), "its daemon's rows dimmed"
