"""Every key of the config file, declared once: its type, default, range and one line
of help. The loader reads each key from here; a value of the wrong type, out of its
range, or not finite is a one-line warning naming the key, the value, what it must
be and the default used instead, and the app runs on.
"""

from __future__ import annotations

import difflib
import math
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class CommandWords(tuple[str, ...]):
    """The kind of a command key: a list of words, or text split as a shell would."""

    __slots__ = ()


KIND_WORDS = {
    str: "text in quotes",
    float: "a number",
    int: "a whole number",
    bool: "true or false",
    list: "a list of texts in quotes",
    CommandWords: "a command: a list of words, or text in quotes",
}


@dataclass(frozen=True, slots=True)
class Setting:
    """One key of the config file."""

    name: str
    kind: type
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    unit: str = ""
    secret: bool = False
    """Never shown (``aria2-top config`` masks it)."""

    @property
    def range_words(self) -> str:
        """``0.1 to 3600 seconds``; empty without a range."""
        if self.low is None and self.high is None:
            return ""
        unit = f" {self.unit}" if self.unit else ""
        return f"{_number(self.low)} to {_number(self.high)}{unit}"

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value`` for this key, in words; None when it is usable."""
        kind = self.kind
        if kind is CommandWords:
            return _command_problem(value)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"must be {KIND_WORDS[kind]}"
        if isinstance(value, list) and not all(isinstance(v, str) and v.strip() for v in value):
            return f"must be {KIND_WORDS[list]}, none empty"
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number ({self.range_words})"
        if isinstance(value, int | float) and not self.within(float(value)):
            return f"must be {self.range_words}"
        return None

    def within(self, number: float) -> bool:
        """Whether ``number`` is in this key's range."""
        low, high = self.low, self.high
        return (low is None or number >= low) and (high is None or number <= high)

    def value(self, value: object) -> Any:
        """``value`` as this key's type (an int given for a float becomes one)."""
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if self.kind is CommandWords:
            words = shlex.split(value) if isinstance(value, str) else value
            return CommandWords(words if isinstance(words, list) else ())
        if isinstance(value, list):
            return tuple(value)
        return value


def _command_problem(value: object) -> str | None:
    """What is wrong with a command (a list of words, or text split as a shell would)."""
    if isinstance(value, str):
        try:
            words = shlex.split(value)
        except ValueError as exc:
            return f"is not a usable command ({exc})"
    elif isinstance(value, list) and all(isinstance(word, str) for word in value):
        words = value
    else:
        return f"must be {KIND_WORDS[CommandWords]}"
    return None if words and words[0] else "must name a command"


def _number(value: float | None) -> str:
    if value is None:
        return "any"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


SETTINGS = (
    Setting("rpc_url", str, None, "the daemon's JSON-RPC address (http:// or https://)"),
    Setting("secret", str, None, "its RPC secret (keep the file 0600)", secret=True),
    Setting("ca_file", str, None, "a CA bundle, for https with a private CA"),
    Setting("interval", float, 1.0, "seconds between refreshes", 0.1, 3600, "seconds"),
    Setting("download_dir", str, None, "the private daemon's download folder"),
    Setting("timeout", float, 10.0, "seconds for a whole request and its reply", 1, 600, "seconds"),
    Setting("max_reply_mib", int, 128, "larger replies are refused", 1, 4096, "MiB"),
    Setting("bell", bool, False, "ring the terminal bell when a download ends"),
    Setting("notify", bool, False, "desktop notifications (notify-send) when one ends"),
    Setting("player", str, None, "what o opens files with (default: the system's opener)"),
    Setting(
        "file_manager",
        CommandWords,
        None,
        "what Ctrl+O opens a download's folder with (default: the system's opener)",
    ),
    Setting(
        "resync",
        float,
        10.0,
        "seconds between looks at the queue and results (0: every refresh)",
        0,
        3600,
        "seconds",
    ),
    Setting("history", bool, True, "keep the history of downloads (7, aria2-top history)"),
    Setting(
        "history_max",
        int,
        1_000_000,
        "downloads the history keeps at most (the oldest go first)",
        1_000,
        100_000_000,
        "records",
    ),
    Setting("theme", str, None, "any Textual theme (F2 or Ctrl+P chooses one)"),
    Setting(
        "watch",
        list,
        (),
        "folders whose .torrent, .metalink, .meta4, .magnet and .uris files are added",
    ),
    Setting("watch_daemon", str, None, "the daemon watched folders add to (default: the first)"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}
TABLES = {
    "table": "what F2 saves: the table's columns, their widths, the sort and view at start",
    "keymap": "keys moved, by their binding's name (see Keys)",
    "daemons": "several daemons in one view, each a [[daemons]] table",
    "hooks": "commands run when a download starts, finishes, fails… (README: From the shell)",
    "turtle": "the turtle limits T switches to (alternative speed limits), and when",
}
"""The tables of the config file (each read by a reader of its own), with their help."""
TABLE_KEYS = {
    "columns": "the columns shown, in order (F2 lists them)",
    "widths": "cells of a column, for those other than the name and #: { size = 9 }",
    "sort": 'the column sorted by at start ("pos": aria2\'s order)',
    "reverse": "largest first (true or false)",
    "view": "all, active, waiting, paused, done or errors",
}
"""The keys of ``[table]``."""
DAEMON_KEYS = {
    "name": "its name (the host column, host:NAME, --daemon NAME)",
    "rpc_url": "its JSON-RPC address",
    "secret": "its RPC secret",
    "secret_env": "or the variable holding its secret",
    "ca_file": "a CA bundle for its https",
    "turtle": 'its own turtle keys, over [turtle]\'s: { down = "20K" }',
}
"""The keys of each ``[[daemons]]`` table."""
HOOK_KEYS = {
    "on_start": "a command (a list of words) run when a download starts",
    "on_pause": "… when one is paused",
    "on_complete": "… when one finishes",
    "on_error": "… when one fails",
    "on_stop": "… when one is stopped (removed)",
    "on_bt_complete": "… when a torrent has all its data",
    "timeout": "seconds a hook may run (default 60)",
}
"""The keys of ``[hooks]``."""
TURTLE_KEYS = {
    "down": 'the global ↓ limit while turtle is on (default "50K"; "0": none)',
    "up": 'the global ↑ limit while turtle is on (default "10K")',
    "from": 'turtle goes on at this time ("08:00"), on the days…',
    "to": '… and off at this one ("18:00"; past midnight: the next morning)',
    "days": 'the days of the schedule: ["mon", "tue", …] (default every day)',
}
"""The keys of ``[turtle]`` (and of a daemon's ``turtle`` table)."""


def unknown_keys(
    table: Mapping[str, Any], known: Iterable[str], where: str, warnings: list[str]
) -> None:
    """Say each key of ``table`` that is none of ``known``, with the nearest known name
    when there is one (``unknown key 'intreval' (did you mean 'interval'?)``)."""
    names = list(known)
    for key in table:
        if key in names:
            continue
        near = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        warnings.append(f"{where}: unknown key {shown_value(key)}{hint}: left out")


def settings_table() -> str:
    """Every key of the config file as a Markdown table (the README's, generated)."""
    lines = ["| key | type | default | range | what |", "| --- | --- | --- | --- | --- |"]
    for setting in SETTINGS:
        default = "(none)" if setting.default is None else f"`{_toml(setting.default)}`"
        lines.append(
            f"| `{setting.name}` | {KIND_WORDS[setting.kind]} | {default} "
            f"| {setting.range_words} | {setting.help} |"
        )
    for name, help_text in TABLES.items():
        brackets = f"[[{name}]]" if name == "daemons" else f"[{name}]"
        lines.append(f"| `{brackets}` | table | | | {help_text} |")
    for table, keys in (
        ("table", TABLE_KEYS),
        ("daemons", DAEMON_KEYS),
        ("hooks", HOOK_KEYS),
        ("turtle", TURTLE_KEYS),
    ):
        for name, help_text in keys.items():
            lines.append(f"| `{table}.{name}` | | | | {help_text} |")
    return "\n".join(lines)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value >= 10_000:
        return f"{value:_}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return repr(value)


def shown_value(value: object) -> str:
    """A value from the file as a warning shows it: short, on one line."""
    text = repr(value)
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    return text if len(text) <= 40 else text[:39] + "…"


def read_settings(table: Mapping[str, Any], where: str, warnings: list[str]) -> dict[str, Any]:
    """Every declared key's value from ``table`` (the config file's top level), its
    default when it is missing or unusable (said in ``warnings``, as is a key that is
    none of them)."""
    unknown_keys(table, [*BY_NAME, *TABLES], where, warnings)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = table.get(setting.name)
        if raw is None:
            values[setting.name] = setting.default
            continue
        problem = setting.problem(raw)
        if problem is None:
            values[setting.name] = setting.value(raw)
            continue
        shown = "(hidden)" if setting.secret else shown_value(raw)
        default = "none" if setting.default in (None, ()) else shown_value(setting.default)
        warnings.append(f"{where}: {setting.name} = {shown} {problem}: {default} is used")
        values[setting.name] = setting.default
    return values


if __name__ == "__main__":  # the README's table: python -m aria2_top.config.keys
    print(settings_table())
