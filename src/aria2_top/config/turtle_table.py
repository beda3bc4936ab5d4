"""``[turtle]``: the alternative speed limits T switches to, and when the app switches
them by itself::

    [turtle]
    down = "50K"                    # the global ↓ limit while turtle is on
    up = "10K"                      # the global ↑ limit (0: unlimited)
    from = "08:00"                  # on at 08:00 … (a range past midnight works)
    to = "18:00"                    # … off at 18:00
    days = ["mon", "tue", "wed", "thu", "fri"]   # default: every day

    [[daemons]]
    name = "nas"
    rpc_url = "…"
    turtle = { down = "20K" }       # its own keys over [turtle]'s

Speeds are aria2's (``500K``, ``2.5M``, a number of bytes); times ``HH:MM`` (or a TOML
time). A wrong value is a warning and left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from aria2_top.config.keys import TURTLE_KEYS, shown_value, unknown_keys
from aria2_top.model.turtle import DAYS, TurtleConfig, TurtlePlan, turtle_plan
from aria2_top.model.units import MAX_BYTES, UnitError, parse_bytes

_CLOCK = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*$")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class TurtleSettings:
    """The global ``[turtle]`` and each daemon's own ``turtle`` table (by name)."""

    base: TurtleConfig = field(default_factory=TurtleConfig)
    daemons: tuple[tuple[str, TurtleConfig], ...] = ()

    def plan_for(self, daemon: str) -> TurtlePlan:
        """What turtle does for ``daemon`` (its own keys over the global ones)."""
        own = next(
            (config for name, config in self.daemons if name.casefold() == daemon.casefold()),
            TurtleConfig(),
        )
        return turtle_plan(own.under(self.base))[0]


def read_turtle(top: Mapping[str, Any], path: Path, warnings: list[str]) -> TurtleSettings:
    """``[turtle]`` and the ``turtle`` tables of ``[[daemons]]`` in the config file's
    top-level ``top``, checked (what is wrong is said and left out)."""
    base = _read_one(top.get("turtle"), f"{path}: [turtle]", warnings)
    base_problem = turtle_plan(base)[1]
    if base_problem:
        warnings.append(f"{path}: [turtle]: {base_problem}")
    own: list[tuple[str, TurtleConfig]] = []
    entries = top.get("daemons")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping) or entry.get("turtle") is None:
            continue
        name = entry.get("name")
        where = f"{path}: [[daemons]] {shown_value(name)} turtle"
        config = _read_one(entry.get("turtle"), where, warnings)
        if isinstance(name, str) and name:
            own.append((name, config))
            problem = turtle_plan(config.under(base))[1]
            if problem and not base_problem:
                warnings.append(f"{where}: {problem}")
    return TurtleSettings(base, tuple(own))


def _read_one(table: object, where: str, warnings: list[str]) -> TurtleConfig:
    if table is None:
        return TurtleConfig()
    if not isinstance(table, Mapping):
        warnings.append(f"{where} must be a table: left out")
        return TurtleConfig()
    unknown_keys(table, TURTLE_KEYS, where, warnings)
    return TurtleConfig(
        down=_speed(table, "down", where, warnings),
        up=_speed(table, "up", where, warnings),
        start=_clock(table, "from", where, warnings),
        end=_clock(table, "to", where, warnings),
        days=_days(table, where, warnings),
    )


def _speed(table: Mapping[str, Any], key: str, where: str, warnings: list[str]) -> int | None:
    """A limit as aria2 takes it: ``"50K"``, ``"2.5M"``, ``"0"`` (unlimited) or bytes."""
    raw = table.get(key)
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_BYTES:
        return raw
    if isinstance(raw, str):
        try:
            return parse_bytes(raw)
        except UnitError as exc:
            warnings.append(f"{where}: {key} = {shown_value(raw)}: {exc}: left out")
            return None
    warnings.append(f'{where}: {key} = {shown_value(raw)} must be a speed such as "50K": left out')
    return None


def _clock(table: Mapping[str, Any], key: str, where: str, warnings: list[str]) -> time | None:
    """``"08:00"`` (or a TOML local time such as ``08:00:00``)."""
    raw = table.get(key)
    if raw is None:
        return None
    if isinstance(raw, time):
        return raw.replace(tzinfo=None)
    match = _CLOCK.match(raw) if isinstance(raw, str) else None
    if match is not None:
        hours, minutes = int(match[1]), int(match[2])
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    warnings.append(f'{where}: {key} = {shown_value(raw)} must be a time such as "08:00": left out')
    return None


def _days(table: Mapping[str, Any], where: str, warnings: list[str]) -> frozenset[int] | None:
    """``["mon", "tue"]`` (full names too, any case); wrong or empty: every day."""
    raw = table.get("days")
    if raw is None:
        return None
    days: set[int] = set()
    if isinstance(raw, list) and raw:
        for item in raw:
            name = item.strip().casefold() if isinstance(item, str) else ""
            if name in DAYS:
                days.add(DAYS.index(name))
            elif name in _FULL_DAYS:
                days.add(_FULL_DAYS.index(name))
            else:
                days.clear()
                break
    if not days:
        warnings.append(
            f'{where}: days = {shown_value(raw)} must be a list such as ["mon", "tue"]: '
            "every day is used"
        )
        return None
    return frozenset(days)
