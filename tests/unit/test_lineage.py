"""A download the app added again keeps its story: the pure rules of model/lineage.py
and the history's record that follows it to its new GID."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from aria2_top.model.downloads import Download, Status
from aria2_top.model.lineage import (
    UPLOAD_STEP,
    Lineage,
    carried,
    is_news,
    news,
    upload_to_record,
    upload_words,
)
from aria2_top.storage.history_file import DownloadHistory, csv_text, read_history


def _torrent(gid: str, status: Status, **kw: object) -> Download:
    values: dict[str, object] = {
        "name": "album",
        "aria2_status": "active",
        "daemon": "d",
        "is_torrent": True,
        "total": 1000,
        "completed": 1000,
    }
    return Download(gid=gid, status=status, **{**values, **kw})  # type: ignore[arg-type]


def test_a_finished_download_added_again_does_not_finish_again() -> None:
    lineage = Lineage()
    old = _torrent("a1", Status.SEEDING, uploaded=300)
    lineage.follow(old, "b2")
    checked = _torrent("b2", Status.SEEDING)
    assert lineage.refinished(checked.key)
    assert not is_news(checked, _torrent("b2", Status.CHECKING, completed=0), lineage)
    assert not is_news(checked, None, lineage), "first seen seeding: no news either"
    other = _torrent("c3", Status.SEEDING)
    assert is_news(other, _torrent("c3", Status.ACTIVE, completed=10), lineage)
    assert news([checked, other], {}, lineage) == [other]


def test_one_that_downloads_again_finishes_again() -> None:
    """A check that found bad pieces: they come again, and its finish is news."""
    lineage = Lineage()
    lineage.follow(_torrent("a1", Status.SEEDING), "b2")
    lineage.saw(_torrent("b2", Status.ACTIVE, completed=0))  # the check's in-between
    assert lineage.refinished(_torrent("b2", Status.SEEDING).key)
    lineage.saw(_torrent("b2", Status.ACTIVE, completed=900, down_speed=5000))
    seeding = _torrent("b2", Status.SEEDING)
    assert not lineage.refinished(seeding.key)
    assert is_news(seeding, _torrent("b2", Status.ACTIVE, completed=900), lineage)


def test_a_failed_download_retried_finishes_as_news() -> None:
    lineage = Lineage()
    lineage.follow(_torrent("a1", Status.ERROR, completed=10), "b2")
    assert lineage.of(_torrent("b2", Status.SEEDING).key) is not None
    assert is_news(_torrent("b2", Status.SEEDING), None, lineage)


def test_a_re_add_of_a_re_add_stays_finished() -> None:
    lineage = Lineage()
    lineage.follow(_torrent("a1", Status.SEEDING), "b2")
    lineage.follow(_torrent("b2", Status.CHECKING, completed=0), "c3")  # V twice, quickly
    assert lineage.refinished(_torrent("c3", Status.SEEDING).key)
    assert lineage.of(_torrent("b2", Status.SEEDING).key) is None, "the old GID is let go"
    assert len(lineage) == 1


def test_a_finished_torrent_resumed_is_no_news() -> None:
    """aria2 keeps the GID of a paused seeding torrent: paused -> seeding again."""
    lineage = Lineage()
    seeding = _torrent("a1", Status.SEEDING)
    assert not is_news(seeding, _torrent("a1", Status.PAUSED), lineage)
    assert is_news(seeding, _torrent("a1", Status.PAUSED, completed=999), lineage)


def test_the_upload_goes_on_from_the_earlier_gids() -> None:
    fresh = _torrent("b2", Status.SEEDING, uploaded=50)
    shown = carried(fresh, 300, 340)
    assert shown.uploaded == 350 and shown.ratio == 0.35
    assert carried(fresh, 0, 40) is fresh, "nothing carried: the same object"
    assert carried(_torrent("b2", Status.SEEDING, uploaded=None), 300, None).uploaded is None


def test_a_paused_torrent_keeps_the_upload_aria2_hides() -> None:
    """aria2 1.37 says uploadLength 0 while a torrent is paused."""
    paused = _torrent("a1", Status.PAUSED, uploaded=0)
    assert carried(paused, 0, 423_168).uploaded == 423_168
    assert carried(paused, 100, None).uploaded == 100
    resumed = _torrent("a1", Status.SEEDING, uploaded=423_168)
    assert carried(resumed, 0, 423_168) is resumed


def test_the_history_writes_a_seeding_total_in_steps() -> None:
    """A thousand torrents seeding do not rewrite the history file at every poll."""
    assert upload_to_record(None, 10, changed=False) == 10
    assert upload_to_record(10, 20, changed=False) == 10
    assert upload_to_record(10, 20, changed=True) == 20, "a new state: the exact total"
    assert upload_to_record(10, 10 + UPLOAD_STEP, changed=False) == 10 + UPLOAD_STEP
    big = 100 * UPLOAD_STEP
    assert upload_to_record(big, big + 2 * UPLOAD_STEP, changed=False) == big
    assert upload_to_record(big, big + big // 16, changed=False) == big + big // 16
    assert upload_to_record(10, 0, changed=True) == 10, "aria2's 0 while paused"
    assert upload_words(423_168, 860_000) == "↑ 413.2K, ratio 0.49"
    assert upload_words(0, 5) == "" and upload_words(5, None) == "↑ 5B"


def test_the_history_record_follows_to_the_new_gid(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = DownloadHistory(path)
    old = history.stamp(_torrent("a1", Status.SEEDING, uploaded=300, source="magnet:?x"))
    history.commit()
    ended = old.ended
    assert ended is not None
    history.follow(old, "b2", what="verify")
    checking = history.stamp(_torrent("b2", Status.CHECKING, completed=0, uploaded=0))
    assert checking.added == old.added and checking.uploaded == 300
    seeding = history.stamp(_torrent("b2", Status.SEEDING, uploaded=25))
    assert seeding.uploaded == 325 and seeding.ended == ended, "it finished once"
    assert history.carried_upload(seeding.key) == 300
    history.close()
    (record,) = read_history(path)
    assert (record.gid, record.status, record.ended) == ("b2", "seeding", ended)
    assert (record.uploaded, record.carried) == (325, 300)
    assert record.note == "verify: added again, was GID a1"
    assert csv_text([record]).splitlines()[1].endswith(",325")


def test_the_record_follows_when_the_poller_saw_the_new_gid_first(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = DownloadHistory(path)
    old = history.stamp(_torrent("a1", Status.SEEDING, uploaded=300))
    history.commit()
    history.stamp(_torrent("b2", Status.CHECKING, completed=0, uploaded=0))
    history.commit()
    history.follow(old, "b2", what="move")
    again = history.stamp(_torrent("b2", Status.SEEDING, uploaded=5))
    assert again.added == old.added and again.uploaded == 305
    history.close()
    (record,) = read_history(path)
    assert (record.gid, record.carried, record.uploaded) == ("b2", 300, 305)


def test_the_carried_upload_outlives_the_app(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = DownloadHistory(path)
    history.follow(history.stamp(_torrent("a1", Status.SEEDING, uploaded=300)), "b2", "verify")
    history.close()
    later = DownloadHistory(path)
    later.recall("d", ["b2"])
    assert later.stamp(_torrent("b2", Status.SEEDING, uploaded=7)).uploaded == 307
    later.close()


def test_a_file_from_before_the_upload_totals_gains_them(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE downloads (daemon TEXT NOT NULL, gid TEXT NOT NULL, "
            "name TEXT NOT NULL, status TEXT NOT NULL, size INTEGER, added REAL, "
            "started REAL, ended REAL, error TEXT NOT NULL, source TEXT NOT NULL, "
            "folder TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', PRIMARY KEY (daemon, gid))"
        )
        db.execute(
            "INSERT INTO downloads VALUES ('d', 'a1', 'old', 'complete', 5, 1.0, 2.0, 3.0, "
            "'', 'http://x/old', '/f', '')"
        )
    db.close()
    (record,) = read_history(path)
    assert (record.name, record.uploaded, record.carried) == ("old", None, 0)
