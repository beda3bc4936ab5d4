"""Pure functions of the core: parsing, formatting, filtering, sorting."""

from __future__ import annotations

import pytest

from aria2_top.model import format as fmt
from aria2_top.model.columns import COLUMNS, columns_for_width, sort_downloads
from aria2_top.model.downloads import (
    Download,
    GlobalStat,
    NameInfo,
    Status,
    name_of,
    parse_download,
)
from aria2_top.model.query import View, visible


def _download(gid: str, name: str, status: Status = Status.WAITING, **kw: int) -> Download:
    return Download(gid=gid, status=status, name=name, aria2_status=str(status), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("struct", "expected"),
    [
        ({"bittorrent": {"info": {"name": "Ubuntu"}}, "files": [{"path": "/d/x"}]}, "Ubuntu"),
        ({"files": [{"path": "/dl/sub/file.iso", "uris": []}]}, "file.iso"),
        ({"files": [{"path": "", "uris": [{"uri": "http://h/a/b%20c.iso?x=1"}]}]}, "b c.iso"),
        ({"files": [{"path": "", "uris": [{"uri": "http://host/"}]}]}, "http://host/"),
        ({"files": []}, "?"),
    ],
)
def test_name_of(struct: dict[str, object], expected: str) -> None:
    assert name_of(struct).name == expected


def test_metadata_seeding_checking_statuses() -> None:
    metadata = name_of({"files": [{"path": "[METADATA]abcdef"}], "bittorrent": {}})
    assert metadata == NameInfo("[METADATA]abcdef", is_metadata=True)
    active = {"gid": "1", "status": "active", "infoHash": "ab"}
    assert parse_download(active, metadata).status is Status.METADATA
    seeding = {**active, "seeder": "true", "completedLength": "10", "uploadLength": "25"}
    download = parse_download(seeding, NameInfo("t"))
    assert download.status is Status.SEEDING and download.ratio == 2.5
    checking = {"gid": "1", "status": "active", "totalLength": "100", "verifiedLength": "40"}
    download = parse_download(checking, NameInfo("c"))
    assert download.status is Status.CHECKING and download.progress == 0.4
    pending = {"gid": "1", "status": "waiting", "verifyIntegrityPending": "true"}
    assert parse_download(pending, NameInfo("p")).status is Status.CHECKING
    bogus = parse_download({"gid": "1", "status": "bogus"}, NameInfo("b"))
    assert bogus.status is Status.UNKNOWN and bogus.malformed


def test_numbers_eta_and_ratio() -> None:
    struct = {
        "gid": "g",
        "status": "active",
        "totalLength": "1000",
        "completedLength": "250",
        "downloadSpeed": "50",
        "connections": "3",
    }
    download = parse_download(struct, NameInfo("n"), queue_position=None)
    assert (download.progress, download.eta, download.ratio) == (0.25, 15.0, None)
    assert parse_download({**struct, "downloadSpeed": "0"}, NameInfo("n")).eta is None
    stat = {"downloadSpeed": "5", "uploadSpeed": "0", "numActive": "2", "numWaiting": "1"}
    stat |= {"numStopped": "0", "numStoppedTotal": "3"}
    limits = {"max-overall-download-limit": "1024", "max-overall-upload-limit": "0"}
    assert GlobalStat.parse(stat, limits) == GlobalStat(
        down_speed=5, num_active=2, num_waiting=1, num_stopped_total=3, down_limit=1024
    )
    # What aria2 did not send, or sent unusable, is unknown (None), not 0.
    assert GlobalStat.parse({**stat, "numActive": "x"}, {}) == GlobalStat(
        down_speed=5,
        num_active=None,
        num_waiting=1,
        num_stopped_total=3,
        down_limit=None,
        up_limit=None,
    )


def test_safe_text_removes_controls_and_bidi() -> None:
    assert fmt.safe_text("a\x1b[31mb\x07c\u202ed\x9b") == "a\ufffd[31mb\ufffdc\ufffdd\ufffd"
    assert fmt.safe_text("[bold]x[/]") == "[bold]x[/]"


def test_formatting() -> None:
    assert fmt.size(1536) == "1.5K"
    assert fmt.speed(0) == "" and fmt.speed(2048) == "2.0K/s"
    assert [fmt.duration(s) for s in (None, 5, 192, 7500, 3 * 86400 + 4 * 3600)] == [
        "",
        "5s",
        "3m12s",
        "2h05m",
        "3d04h",
    ]
    assert fmt.percent(0.999) == "99%" and fmt.percent(1) == "100%" and fmt.percent(0.05) == "5.0%"
    assert fmt.bar(0.5, 4) == "██  " and fmt.bar(1.0, 4) == "████" and len(fmt.bar(0.33, 8)) == 8
    assert fmt.ratio(None) == "" and fmt.ratio(1.234) == "1.23"


def test_views_and_filter() -> None:
    downloads = [
        _download("aa", "Ubuntu.iso", Status.ACTIVE),
        _download("bb", "debian.iso", Status.SEEDING),
        _download("cc", "notes.txt", Status.PAUSED),
        _download("dd", "broken", Status.ERROR),
        _download("ee", "old", Status.REMOVED),
    ]
    assert [d.gid for d in visible(downloads, View.ACTIVE)] == ["aa", "bb"]
    assert [d.gid for d in visible(downloads, View.DONE)] == ["ee"]
    assert [d.gid for d in visible(downloads, View.ALL, "ISO")] == ["aa", "bb"]
    assert [d.gid for d in visible(downloads, View.ALL, "dd")] == ["dd"]  # by GID prefix
    assert View.ALL.next(-1) is View.ERRORS and View.ERRORS.next() is View.ALL


def test_sort_is_stable_both_ways() -> None:
    downloads = [
        _download("1", "b", total=5),
        _download("2", "a", total=5),
        _download("3", "c", total=9),
    ]
    # Ties go by queue position, then name, whichever way the column sorts.
    assert [d.gid for d in sort_downloads(downloads, "size", False)] == ["2", "1", "3"]
    assert [d.gid for d in sort_downloads(downloads, "size", True)] == ["3", "2", "1"]
    queued = [_download("q1", "z", total=5, queue_position=1), *downloads]
    queued.append(_download("q0", "y", total=5, queue_position=0))
    assert [d.gid for d in sort_downloads(queued, "size", True)] == ["3", "q0", "q1", "2", "1"]
    assert [d.gid for d in sort_downloads(downloads, "name", False)] == ["2", "1", "3"]
    assert [d.gid for d in sort_downloads(downloads, "pos", True)] == ["3", "2", "1"]
    # Rows with no value (no ETA) go after the others.
    eta = [_download("x", "x"), _download("y", "y", down_speed=10, total=100)]
    assert [d.gid for d in sort_downloads(eta, "eta", False)] == ["y", "x"]


@pytest.mark.parametrize("width", [40, 80, 100, 120, 160, 240])
def test_columns_for_width_fit(width: int) -> None:
    chosen = columns_for_width(width)
    assert chosen[0].key in ("pos", "name") and any(c.key == "name" for c in chosen)
    used = sum(c.width + 2 for c in chosen if c.key != "name") + 20 + 2
    assert used <= max(width, 22)
    if width >= 160:  # every column of the All view
        assert len(chosen) == len([c for c in COLUMNS if c.default and not c.fleet])
    with_host = [c.key for c in columns_for_width(width, fleet=True)]
    assert "host" in with_host  # it stays as long as the position does
    errors = [c.key for c in columns_for_width(width, view=View.ERRORS)]
    assert "down" not in errors and ("error" in errors or width < 100)


def test_name_finality_drives_re_lookups() -> None:
    assert name_of({"bittorrent": {"info": {"name": "T"}}}).final
    assert name_of({"files": [{"path": "/dl/a.iso"}]}).final
    assert not name_of({"files": [{"path": "", "uris": [{"uri": "http://h/a.iso"}]}]}).final
    assert not name_of({"files": [{"path": "[METADATA]ab"}]}).final
