"""The history file read a page at a time: counts and pages of a search, every sort,
the file of the previous version brought to this one, and records looked up by key
(never the whole file) when the poller meets a download."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from aria2_top.model.downloads import Download, Status
from aria2_top.storage import history_search
from aria2_top.storage.history_file import DownloadHistory, Record, read_history
from aria2_top.storage.history_search import FileView, HistoryView, MemoryView

OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS downloads (
    daemon TEXT NOT NULL,
    gid TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    size INTEGER,
    added REAL,
    started REAL,
    ended REAL,
    error TEXT NOT NULL,
    source TEXT NOT NULL,
    folder TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (daemon, gid)
)
"""
"""The file of aria2-top 0.1.x (git show HEAD:src/aria2_top/storage/history_file.py)."""
N = 450


def _record(number: int) -> Record:
    name = f"{'ubuntu' if number % 3 else 'debian'}-{number:04d}.iso"
    if number == 7:
        name = "Übersicht_100%.pdf"
    return Record(
        "d" if number % 2 else "e",
        f"{number:016x}",
        name,
        ("complete", "error", "removed")[number % 3],
        None if number % 10 == 0 else number * 1000,
        1_000_000.0 + number,
        None,
        None if number % 4 == 0 else 2_000_000.0 - number,
        "Resource not found" if number % 3 == 1 else "",
        f"https://mirror{number % 5}.example.org/{name}",
        "/downloads",
        "",
    )


def _old_file(path: Path, records: list[Record]) -> None:
    """A history file as the previous version wrote it."""
    db = sqlite3.connect(path)
    with db:
        db.execute(OLD_SCHEMA)
        db.executemany(
            f"INSERT INTO downloads VALUES ({', '.join('?' * 12)})", [r[:12] for r in records]
        )
    db.close()


@pytest.fixture
def file_view(tmp_path: Path) -> tuple[DownloadHistory, HistoryView, list[Record]]:
    records = [_record(number) for number in range(N)]
    path = tmp_path / "h.sqlite3"
    _old_file(path, records)
    history = DownloadHistory(path)
    return history, history.browse(), records


def _every(view: HistoryView, needle: str, sort: str, reverse: bool) -> list[Record]:
    """The matches read page by page, as History reads them."""
    rows: list[Record] = []
    while page := view.page(needle, sort, reverse, len(rows), 100):
        rows += page
    return rows


@pytest.mark.parametrize("sort", ["added", "ended", "status", "size", "name", "daemon", "source"])
@pytest.mark.parametrize("needle", ["", "ubuntu", "iso 04", "MIRROR3 found", "0", "100%", "ü"])
def test_file_pages_and_counts_match_the_records_in_memory(
    file_view: tuple[DownloadHistory, HistoryView, list[Record]], sort: str, needle: str
) -> None:
    """Pages of the file, read to the end, give every match once, in the order the
    records in memory sort to (no value last, both ways); the count agrees."""
    history, view, records = file_view
    memory = MemoryView(lambda: records)
    try:
        assert isinstance(view, FileView) and view.searchable
        for reverse in (True, False):
            expected = _every(memory, needle, sort, reverse)
            assert view.count(needle) == memory.count(needle) == len(expected)
            if sort in ("added", "size", "ended"):  # ties broken differently: compare values
                got = _every(view, needle, sort, reverse)
                assert [getattr(r, sort) for r in got] == [getattr(r, sort) for r in expected]
                assert sorted(got) == sorted(expected)
            else:
                got = _every(view, needle, sort, reverse)
                key = (lambda r: getattr(r, sort).casefold()) if sort != "source" else None
                assert [key(r) if key else r.source for r in got] == [
                    key(r) if key else r.source for r in expected
                ]
                assert sorted(got) == sorted(expected)
        assert view.problem is None
    finally:
        history.close()


def test_a_search_finds_the_record_on_the_last_page(
    file_view: tuple[DownloadHistory, HistoryView, list[Record]],
) -> None:
    history, view, records = file_view
    try:
        oldest = min(records, key=lambda r: r.added or 0.0)
        assert view.page("", "added", True, N - 1, 100) == [oldest], "the last page's last row"
        assert view.count(oldest.gid) == 1
        assert view.page(oldest.gid, "added", True, 0, 100) == [oldest]
        assert view.count("debian-0000") == 1 and view.count("nothing-like-it") == 0
        assert view.count("100%") == 1 and view.count("1_0") == 0, "% and _ are plain text"
        assert view.total() == N
    finally:
        history.close()


def test_a_file_of_the_previous_version_opens_searchable_and_keeps_every_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    records = [_record(number) for number in range(N)]
    secret = records[5]._replace(source="https://user:PASSWORD9@files.example/a.iso")
    _old_file(path, [*records[:5], secret, *records[6:]])
    history = DownloadHistory(path)
    view = history.browse()
    assert view.total() == N and view.count("ubuntu") == sum("ubuntu" in r.name for r in records)
    assert view.count("PASSWORD9") == 0, "credentials masked in the file, and in the search"
    history.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM downloads_search").fetchone() == (N,)
        assert "PASSWORD9" not in str(db.execute("SELECT source FROM downloads").fetchall())
        # What an older aria2-top writes is searchable too (the triggers keep it).
        db.execute(
            "UPDATE downloads SET name = 'renamed-by-an-old-version.iso' WHERE gid = ?",
            (records[1].gid,),
        )
        db.execute("DELETE FROM downloads WHERE gid = ?", (records[2].gid,))
    db.close()
    again = DownloadHistory(path)  # opened again: nothing added twice, nothing lost
    view = again.browse()
    assert view.total() == N - 1 and view.count("renamed-by-an-old") == 1
    assert [r.gid for r in view.page("renamed-by-an-old", "added", True, 0, 9)] == [records[1].gid]
    assert view.count(records[2].gid) == 0
    assert len(read_history(path)) == N - 1
    again.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM downloads_search").fetchone() == (N - 1,)
    db.close()


def _download(gid: str, status: Status, **kw: object) -> Download:
    values: dict[str, object] = {"name": "n", "aria2_status": str(status), "daemon": "d"}
    return Download(gid=gid, status=status, **{**values, **kw})  # type: ignore[arg-type]


def test_a_download_the_file_knows_gets_its_times_from_it(tmp_path: Path) -> None:
    """The poller recalls the downloads it meets by key; one it never recalled is
    looked up as it is stamped. Either way the file's times stay."""
    path = tmp_path / "h.sqlite3"
    records = [_record(number) for number in range(N)]
    _old_file(path, records)
    history = DownloadHistory(path)
    known = records[9]  # daemon "d", ended
    history.recall("d", [known.gid, "ffffffffffffffff"])
    stamped = history.stamp(_download(known.gid, Status.COMPLETE, name=known.name))
    assert (stamped.added, stamped.ended) == (known.added, known.ended)
    other = records[11]
    unasked = history.stamp(_download(other.gid, Status.REMOVED, name=other.name))
    assert (unasked.added, unasked.ended) == (other.added, other.ended)
    new = history.stamp(_download("ffffffffffffffff", Status.WAITING))
    assert new.added is not None and new.added > 1_500_000_000
    history.close()
    stored = {r.gid: r for r in read_history(path)}
    assert stored[known.gid].added == known.added and len(stored) == N + 1


@pytest.mark.parametrize("needle", ["0", "ü", "e", "zz", "1 ubuntu", "o -0"])
def test_short_words_read_pages_without_a_count_and_are_counted_aside(
    file_view: tuple[DownloadHistory, HistoryView, list[Record]], needle: str
) -> None:
    """Words of one or two characters are not in the search's index: the first pages
    are read without counting every record first (the first rows in order, else
    every row), and the count that reads every record is made on a connection of
    its own, in a thread, while pages are read."""
    history, view, records = file_view
    memory = MemoryView(lambda: records)
    try:
        indexed = any(len(word) >= 3 for word in needle.split())
        quick = view.quick_count(needle)
        assert quick == (memory.count(needle) if indexed else None)
        expected = _every(memory, needle, "added", True)
        with ThreadPoolExecutor(1) as aside:
            counted = aside.submit(view.count_aside, needle)
            got = _every(view, needle, "added", True)
            assert counted.result() == len(expected)
        assert [r.added for r in got] == [r.added for r in expected] and sorted(got) == sorted(
            expected
        )
        assert view.problem is None
    finally:
        history.close()


def test_a_count_aside_ends_even_when_the_history_closes(tmp_path: Path) -> None:
    """Its connection is its own: closing the history does not pull it away."""
    path = tmp_path / "h.sqlite3"
    _old_file(path, [_record(number) for number in range(N)])
    history = DownloadHistory(path)
    view = history.browse()
    with ThreadPoolExecutor(1) as aside:
        counted = aside.submit(view.count_aside, "e")
        history.close()
        assert counted.result() == MemoryView(lambda: [_record(n) for n in range(N)]).count("e")


@pytest.mark.parametrize("needle", ["", "ubuntu", "e", "0", "66", "zz", "1 ubuntu", "ü"])
def test_a_first_page_is_whole_or_the_first_of_the_page_read_aside(
    file_view: tuple[DownloadHistory, HistoryView, list[Record]],
    monkeypatch: pytest.MonkeyPatch,
    needle: str,
) -> None:
    """The first page without reading every record: whole, or (words of one or two
    characters found on few of the newest records) the first rows of the page; the
    page and its count read aside, in a thread, are the page and the count."""
    monkeypatch.setattr(history_search, "NEAR_ROWS", 100)  # the newest 100 of 450
    history, view, records = file_view
    memory = MemoryView(lambda: records)
    try:
        words = needle.split()
        short = bool(words) and all(len(word) < 3 for word in words) and needle.isascii()
        for sort, reverse in (("added", True), ("name", False)):
            page, next_page = (view.page(needle, sort, reverse, at, 100) for at in (0, 100))
            page_all = _every(memory, needle, sort, reverse)
            first, whole = view.first_page(needle, sort, reverse, 100)
            assert whole is not (short and sort == "added" and len(first) < 100)
            assert first == (page if whole else page[: len(first)])
            with ThreadPoolExecutor(1) as aside:
                done = aside.submit(view.search_aside, needle, sort, reverse, 100)
                assert view.page(needle, sort, reverse, 100, 100) == next_page
                assert done.result() == (page, memory.count(needle))
            assert isinstance(view, FileView)
            unindexed = FileView(view.db, False, view.connect)  # an SQLite without FTS5
            assert unindexed.search_aside(needle, sort, reverse, 100) == (page, len(page_all))
        if needle in ("66", "zz"):
            assert view.first_page(needle, "added", True, 100)[1] is False, "read aside"
            monkeypatch.setattr(history_search, "NEAR_ROWS", 1000)  # more than there are
            assert view.first_page(needle, "added", True, 100) == (
                _every(view, needle, "added", True),
                True,
            ), "every record looked at: whole"
        assert view.problem is None
    finally:
        history.close()


@pytest.mark.parametrize("aside", ["count", "search"])
def test_a_read_aside_no_longer_wanted_is_stopped(tmp_path: Path, aside: str) -> None:
    """History asks for something else: the read aside under way ends at once, with
    nothing found and no problem said; the next read aside is right."""
    path = tmp_path / "h.sqlite3"
    records = [_record(number) for number in range(N)]
    _old_file(path, records)
    history = DownloadHistory(path)
    view = history.browse()
    assert isinstance(view, FileView) and view.connect is not None
    reading, go_on = threading.Event(), threading.Event()
    connect = view.connect

    def held() -> sqlite3.Connection:
        db = connect()

        def hold() -> int:
            reading.set()
            go_on.wait(10)
            return 0

        db.set_progress_handler(hold, 100)
        return db

    def read() -> object:
        if aside == "count":
            return view.count_aside("e")
        return view.search_aside("e", "added", True, 100)

    try:
        view.connect = held
        with ThreadPoolExecutor(1) as pool:
            stopped = pool.submit(read)
            assert reading.wait(10), "the read is under way"
            view.stop_aside()
            go_on.set()
            assert stopped.result(timeout=10) == (0 if aside == "count" else ([], 0))
        assert view.problem is None
        view.connect = connect
        view.stop_aside()  # nothing under way: nothing happens
        memory = MemoryView(lambda: records)
        expected = memory.count("e")
        if aside == "count":
            assert view.count_aside("e") == expected
        else:
            page = view.page("e", "added", True, 0, 100)
            assert view.search_aside("e", "added", True, 100) == (page, expected)
    finally:
        history.close()


@pytest.mark.parametrize("sort", sorted(history_search._SQL_ORDER))
@pytest.mark.parametrize("reverse", [False, True])
def test_every_order_of_history_is_read_from_an_index(sort: str, reverse: bool) -> None:
    """A sort of History reads its first page in order from an index: SQLite never
    sorts every record (at 100,000 records that took 10 to 100 ms a key)."""
    db = sqlite3.connect(":memory:")
    history_search.prepare(db)
    order = history_search.order_by(sort, reverse)
    plan = " ".join(
        str(row[-1])
        for row in db.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM downloads ORDER BY {order} LIMIT 100 OFFSET 100"
        )
    )
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan
