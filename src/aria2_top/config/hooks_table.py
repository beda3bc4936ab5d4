"""The ``[hooks]`` table: commands the dashboard runs when a download starts, is
paused, finishes, fails, is stopped or (a torrent) has its data, as ``aria2-top
listen`` does::

    [hooks]
    on_complete = ["notify-send", "downloaded", "{name}"]
    on_error = ["sh", "-c", "echo \\"$ARIA2_NAME: $ARIA2_ERROR\\" >> ~/failed.txt"]
    timeout = 60                    # seconds a hook may run

Each command is a list of words (no shell unless it names one); ``{gid}``,
``{name}``, ``{path}``, ``{dir}``, ``{daemon}``, ``{status}``, ``{error}`` and
``{event}`` are put in, and the same as ``ARIA2_*`` environment variables. A wrong
entry is a warning and is left out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aria2_top.config.keys import HOOK_KEYS, unknown_keys

DEFAULT_HOOK_TIMEOUT = 60.0
MAX_HOOK_TIMEOUT = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class HookSettings:
    """The commands by event (``on_complete`` → words), and their deadline."""

    commands: tuple[tuple[str, tuple[str, ...]], ...] = ()
    timeout: float = DEFAULT_HOOK_TIMEOUT


def read_hooks(table: object, path: Path, warnings: list[str]) -> HookSettings:
    if table is None:
        return HookSettings()
    if not isinstance(table, Mapping):
        warnings.append(f"{path}: hooks must be a table ([hooks]): left out")
        return HookSettings()
    unknown_keys(table, HOOK_KEYS, f"{path}: [hooks]", warnings)
    commands = []
    for key in (k for k in HOOK_KEYS if k.startswith("on_")):
        words = table.get(key)
        if words is None:
            continue
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(word, str) for word in words)
            or not words[0]
        ):
            warnings.append(
                f'{path}: [hooks] {key} must be a list of words, such as ["notify-send", '
                '"{name}"]: left out'
            )
            continue
        commands.append((key, tuple(words)))
    timeout = table.get("timeout", DEFAULT_HOOK_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not math.isfinite(timeout)
        or not 0 < timeout <= MAX_HOOK_TIMEOUT
    ):
        warnings.append(
            f"{path}: [hooks] timeout must be seconds, more than 0 and at most "
            f"{MAX_HOOK_TIMEOUT:g}: {DEFAULT_HOOK_TIMEOUT:g} is used"
        )
        timeout = DEFAULT_HOOK_TIMEOUT
    return HookSettings(tuple(commands), float(timeout))
