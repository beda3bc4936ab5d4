"""One rule for sizes and speeds everywhere (model/format.py ``size``): the table,
the stats bar, the daemons screen, dialogs, notices, the Overview, Options; and the
fleet bar's limits, which add up the daemons' (live/fleet.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.live.fleet import daemon_row, total_limit, total_stat
from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model import format as fmt
from aria2_top.model.downloads import GlobalStat, Snapshot
from aria2_top.model.overview import parse_overview
from aria2_top.model.playable import Playable, playable_words
from aria2_top.ops.download_options import limit_words, shown_value
from aria2_top.ops.group_options import changed_options, options_text
from aria2_top.ops.local_files import DeletionPlan
from aria2_top.ops.removal import RemovedWithData
from aria2_top.ui import wording
from aria2_top.ui.widgets.details.tables import speed_body
from aria2_top.ui.widgets.stats_bar import Link, stats_text

SRC = Path(__file__).resolve().parents[2] / "src" / "aria2_top"


@pytest.mark.parametrize(
    ("n", "size", "rate", "limit"),
    [
        (None, "?", "?", "?"),
        (0, "0B", "0B/s", "∞"),
        (512, "512B", "512B/s", "512B/s"),
        (180_224, "176.0K", "176.0K/s", "176.0K/s"),
        (614_400, "600.0K", "600.0K/s", "600.0K/s"),
        (20_656_537, "19.7M", "19.7M/s", "19.7M/s"),
        (3 * 2**40, "3.0T", "3.0T/s", "3.0T/s"),
    ],
)
def test_the_rule(n: int | None, size: str, rate: str, limit: str) -> None:
    assert (fmt.size(n), fmt.rate(n), fmt.limit(n)) == (size, rate, limit)
    assert fmt.speed(n) == ("" if n == 0 else rate)  # a table cell: blank when idle


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("max-mmap-limit", "9223372036854775807", "no limit"),
        ("max-mmap-limit", "1048576", "1.0M"),
        ("min-split-size", "20971520", "20.0M"),
        ("disk-cache", "16777216", "16.0M"),
        ("piece-length", "1048576", "1.0M"),
        ("no-file-allocation-limit", "5242880", "5.0M"),
        ("socket-recv-buffer-size", "0", "0B"),
        ("max-overall-download-limit", "614400", "600.0K/s"),
        ("max-download-limit", "0", "no limit"),
        ("lowest-speed-limit", "0", "no limit"),
        ("bt-request-peer-speed-limit", "51200", "50.0K/s"),
        ("max-tries", "5", "5"),  # not bytes: as it is
        ("dir", "/dl", "/dl"),
        ("min-split-size", "1M", "1M"),  # not aria2's bytes: as it is
        ("min-split-size", "9" * 40, "9" * 40),
    ],
)
def test_options_in_bytes_read_as_sizes(name: str, value: str, shown: str) -> None:
    assert fmt.option_text(name, value) == shown
    assert shown_value(name, value) == shown  # what the Options tab and O show


def test_options_in_the_editor_stay_exact() -> None:
    """$EDITOR gets exact values, and an unchanged line changes nothing."""
    options = {"max-download-limit": "500000", "max-mmap-limit": "9223372036854775807"}
    text = options_text(options, "a.iso")
    assert "max-download-limit=500000\n" in text
    assert "max-mmap-limit=9223372036854775807\n" in text
    assert changed_options(text, options) == ({}, [])


def test_notices_say_limits_by_the_rule() -> None:
    assert limit_words(614_400) == "600.0K/s"  # as the bar's [600.0K/s]
    assert (
        stats_text(
            GlobalStat(down_speed=0, up_speed=0, down_limit=614_400, up_limit=0),
            "",
            "local",
            Link(PollStatus(PollState.CONNECTED), last_reply_at=0.0),
            0.0,
        ).plain.count("[600.0K/s]")
        == 1
    )


def _plan(length: int, on_disk: int) -> DeletionPlan:
    return DeletionPlan(Path("/dl"), (), size=on_disk, length=length)


def test_the_remove_dialog_counts_as_the_table() -> None:
    """The files' sizes first, as the table's Size; what they take on disk beside only
    when that reads otherwise (blocks, a sparse file)."""
    said, _, _ = wording.deletion_summary([_plan(180_224, 180_224)])
    assert said == "d deletes 0 files, 176.0K:"
    said, _, _ = wording.deletion_summary([_plan(180_224, 200_704)])
    assert said == "d deletes 0 files, 176.0K (196.0K on disk):"
    assert wording.deleted_event("a", ["a.iso"], 65_536) == "deleted 1 file (64.0K): a.iso"
    outcome = RemovedWithData(removed=["a"], files=2, size=3 * 2**20)
    assert wording.removed_with_data(outcome).endswith("deleted 2 files (3.0M)")


def test_the_overview_and_the_speed_tab_follow_the_rule() -> None:
    overview = parse_overview(
        {
            "gid": "a" * 16,
            "status": "active",
            "totalLength": "20971520",
            "completedLength": "20656537",
            "downloadSpeed": "614400",
            "uploadSpeed": "0",
            "files": [],
        }
    )
    rows = dict(overview.rows)
    assert rows["Size"].startswith("19.7M of 20.0M")
    assert rows["Speed"] == "↓ 600.0K/s  ↑ 0B/s"
    first = speed_body([(614_400, 0), (0, 0)], 20, 1.0).renderables[0].plain
    assert first.startswith("↓ now 0B/s  mean 300.0K/s  peak 600.0K/s")
    ready = Playable(path="/dl/m.mkv", length=2 * 12_897_485, playable=12_897_485)
    assert playable_words(ready) == "50% of m.mkv (12.3M from its start)"


def test_the_daemons_screen_follows_the_rule() -> None:
    stat = GlobalStat(down_speed=0, up_speed=2048, down_limit=307_200, up_limit=0)
    row = daemon_row(
        "nas", "http://nas:6800/jsonrpc", PollStatus(PollState.CONNECTED), Snapshot((), stat), False
    )
    assert (row.down, row.up, row.limits) == ("0B/s", "2.0K/s", "↓ 300.0K/s ↑ ∞")


@pytest.mark.parametrize(
    ("limits", "total"),
    [
        ([307_200, 307_200, 307_200], 921_600),  # three at 300K: 900.0K/s in all
        ([307_200, 102_400], 409_600),
        ([0, 0], 0),  # none limited: unlimited
        ([307_200, 0], None),  # some limited, some not: mixed
        ([307_200, None], None),  # one not known
        ([], 0),
    ],
)
def test_the_fleet_adds_up_its_limits(limits: list[int | None], total: int | None) -> None:
    assert total_limit(limits) == total


def test_the_fleet_bar_never_shows_one_daemons_limit_beside_all_speeds() -> None:
    stats = [GlobalStat(down_speed=285_900, down_limit=307_200, up_limit=0) for _ in range(3)]
    stats[0] = GlobalStat(down_speed=285_900, down_limit=307_200, up_limit=10_240)
    together = total_stat(stats)
    assert together.down_speed == 857_700 and together.down_limit == 921_600
    link = Link(PollStatus(PollState.CONNECTED), last_reply_at=0.0)
    fleet = tuple((name, link) for name in ("a", "b", "c"))
    text = stats_text(together, "", "fleet", link, 0.0, fleet=fleet).plain
    assert "↓ 837.6K/s [900.0K/s]" in text
    assert "[mixed]" in text  # ↑: one limited, two not
    single = stats_text(stats[1], "", "one", link, 0.0).plain
    assert "↓ 279.2K/s [300.0K/s]" in single and "[∞]" in single


def test_no_module_spells_units_its_own_way() -> None:
    """Sizes are said through format.size only: no ``KiB``/``MiB`` words and no
    ``long_size`` in the code; rpc (which may not import model) and the config's
    ``max_reply_mib`` setting name their fixed limits in their own words."""
    allowed = {"rpc/client.py", "rpc/notifications.py", "config/keys.py", "config/settings.py"}
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if str(path.relative_to(SRC)) not in allowed
        and any(word in path.read_text() for word in ("KiB", "MiB", "GiB", "long_size"))
    ]
    assert found == []
