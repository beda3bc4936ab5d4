"""Turtle limits' rules: the schedule on a fake clock (past midnight, days, edges),
``[turtle]`` and a daemon's own ``turtle`` table read from the config file, the
limits kept, and the stats bar's mark."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from rich.cells import cell_len

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model.downloads import GlobalStat
from aria2_top.model.turtle import (
    DEFAULT_DOWN,
    DEFAULT_UP,
    EVERY_DAY,
    Kept,
    Schedule,
    ScheduleEdges,
    TurtleConfig,
    turtle_plan,
)
from aria2_top.ui.widgets.stats_bar import Link, stats_text

MON, TUE, WED, SAT, SUN = 0, 1, 2, 5, 6


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time on a weekday of the week of Monday 2024-01-01."""
    return datetime(2024, 1, 1 + day, hour, minute)


def test_a_daytime_range_is_on_from_its_start_until_just_before_its_end() -> None:
    office = Schedule(time(8), time(18))
    assert not office.on_at(at(MON, 7, 59))
    assert office.on_at(at(MON, 8))
    assert office.on_at(at(SUN, 17, 59))
    assert not office.on_at(at(MON, 18))


def test_a_range_past_midnight_ends_the_next_morning_of_a_listed_day() -> None:
    night = Schedule(time(22), time(6), frozenset({MON}))
    assert night.on_at(at(MON, 22, 30))
    assert night.on_at(at(TUE, 5, 59)), "Monday's night goes on into Tuesday"
    assert not night.on_at(at(TUE, 6))
    assert not night.on_at(at(TUE, 22, 30)), "Tuesday is not listed"
    assert not night.on_at(at(MON, 3)), "Monday 03:00 belongs to Sunday's night"
    sunday = Schedule(time(22), time(6), frozenset({SUN}))
    assert sunday.on_at(datetime(2024, 1, 8, 1)), "the week wraps: Sunday night to Monday"


def test_days_without_times_are_whole_days() -> None:
    weekend = Schedule(None, None, frozenset({SAT, SUN}))
    assert weekend.on_at(at(SAT, 0)) and weekend.on_at(at(SUN, 23, 59))
    assert not weekend.on_at(at(MON, 12))
    assert weekend.words() == "all day sat sun"
    assert Schedule(time(8), time(18), frozenset({MON, TUE})).words() == "08:00–18:00 mon tue"


def test_only_the_edges_of_a_schedule_act() -> None:
    """Turtle by hand stays until the next edge: the watch says only changes; at the
    first look, inside the range is an edge and outside it nothing."""
    edges = ScheduleEdges(Schedule(time(22), time(6)))
    assert edges.edge(at(MON, 12)) is None, "outside at start: nothing to end"
    assert edges.edge(at(MON, 21, 59)) is None
    assert edges.edge(at(MON, 22)) is True
    assert edges.edge(at(MON, 23)) is None
    assert edges.edge(at(TUE, 6)) is False
    assert edges.edge(at(TUE, 7)) is None
    inside = ScheduleEdges(Schedule(time(22), time(6)))
    assert inside.edge(at(WED, 2)) is True, "the app starts inside the range"


def test_the_plan_defaults_and_schedule_problems() -> None:
    plan, problem = turtle_plan(TurtleConfig())
    assert (plan.down, plan.up, plan.schedule, plan.defaulted, problem) == (
        DEFAULT_DOWN,
        DEFAULT_UP,
        None,
        True,
        None,
    )
    plan, problem = turtle_plan(TurtleConfig(down=0, start=time(8)))
    assert (plan.down, plan.up, plan.defaulted) == (0, DEFAULT_UP, False)
    assert plan.schedule is None and problem and "both from and to" in problem
    assert "same time" in (turtle_plan(TurtleConfig(start=time(8), end=time(8)))[1] or "")
    plan, _ = turtle_plan(TurtleConfig(days=frozenset({SAT})))
    assert plan.schedule == Schedule(None, None, frozenset({SAT}))


def test_a_daemons_own_keys_override_the_global_ones() -> None:
    base = TurtleConfig(down=1, up=2, start=time(8), end=time(18))
    own = TurtleConfig(down=3, days=frozenset({MON}))
    assert own.under(base) == TurtleConfig(3, 2, time(8), time(18), frozenset({MON}))


def _settings(tmp_path: Path, text: str) -> tuple[object, tuple[str, ...]]:
    conf = tmp_path / "c.toml"
    conf.write_text(text)
    conf.chmod(0o600)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    return settings.turtle, settings.warnings


def test_turtle_and_a_daemons_turtle_are_read_from_the_config_file(tmp_path: Path) -> None:
    conf = tmp_path / "c.toml"
    conf.write_text(
        "[turtle]\n"
        'down = "50K"\nup = 2048\nfrom = "22:00"\nto = 06:30:00\ndays = ["Mon", "friday"]\n'
        "[[daemons]]\n"
        'name = "nas"\nrpc_url = "http://nas:6800/jsonrpc"\nturtle = { down = "1.5M" }\n'
        "[[daemons]]\n"
        'name = "box"\nrpc_url = "http://box:6800/jsonrpc"\n'
        "[daemons.turtle]\n"
        'up = "0"\nfrom = "09:00"\n'
    )
    conf.chmod(0o600)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert settings.warnings == ()
    assert [d.name for d in settings.daemons] == ["nas", "box"], "turtle is a daemon's key"
    turtle = settings.turtle
    night = Schedule(time(22), time(6, 30), frozenset({0, 4}))
    base = turtle.plan_for("laptop")
    assert (base.down, base.up, base.schedule) == (50 * 1024, 2048, night)
    nas = turtle.plan_for("NAS")
    assert (nas.down, nas.up, nas.schedule) == (1536 * 1024, 2048, night)
    box = turtle.plan_for("box")
    assert (box.down, box.up) == (50 * 1024, 0)
    assert box.schedule == Schedule(time(9), time(6, 30), frozenset({0, 4}))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[turtle]\ndown = "fast"\n', "down = 'fast'"),
        ("[turtle]\nup = -5\n", 'must be a speed such as "50K"'),
        ('[turtle]\nfrom = "25:00"\nto = "06:00"\n', 'must be a time such as "08:00"'),
        ('[turtle]\nfrom = "08:00"\n', "needs both from and to"),
        ('[turtle]\ndays = ["someday"]\n', "every day is used"),
        ("[turtle]\ndays = []\n", "every day is used"),
        ('[turtle]\ndonw = "5K"\n', "unknown key 'donw' (did you mean 'down'?)"),
        ('turtle = "slow"\n', "must be a table"),
        (
            '[[daemons]]\nname = "n"\nrpc_url = "http://n:1/jsonrpc"\nturtle = { to = "08:00" }\n',
            "[[daemons]] 'n' turtle: a schedule needs both from and to",
        ),
    ],
)
def test_a_wrong_turtle_value_is_a_warning_and_left_out(
    tmp_path: Path, text: str, said: str
) -> None:
    turtle, warnings = _settings(tmp_path, text)
    assert any(said in warning for warning in warnings), warnings
    plan = turtle.plan_for("n")  # type: ignore[attr-defined]
    assert plan.schedule is None or plan.schedule.days == EVERY_DAY


def test_the_limits_kept_tell_a_change_made_after_turtle() -> None:
    kept = Kept(
        (("max-overall-download-limit", "307200"), ("max-overall-upload-limit", "0")),
        (51200, 10240),
        since=100.0,
    )
    assert not kept.changed_since(51200, 10240, 101.0), "turtle's own"
    assert not kept.changed_since(307200, 0, 99.0), "a poll asked before turtle was set"
    assert kept.changed_since(131072, 10240, 101.0), "L or +/- after turtle"
    assert not kept.changed_since(None, 10240, 101.0), "limits not known"
    assert not Kept(kept.options, kept.turtle).changed_since(1, 2, 101.0), "being set"


@pytest.mark.parametrize("width", [80, 120])
def test_the_stats_bar_shows_turtle_and_still_fits(width: int) -> None:
    stat = GlobalStat(down_speed=1 << 20, up_speed=0, down_limit=51200, up_limit=10240)
    link = Link(PollStatus(PollState.CONNECTED), last_reply_at=10.0)
    text = stats_text(stat, "1.37.0", "private daemon", link, 10.0, turtle=True, width=width)
    assert "turtle" in text.plain
    assert "[50.0K/s]" in text.plain and "[10.0K/s]" in text.plain
    assert text.cell_len <= width and cell_len(text.plain) == text.cell_len
    plain = stats_text(stat, "1.37.0", "private daemon", link, 10.0, width=width)
    assert "turtle" not in plain.plain
