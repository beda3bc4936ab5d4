"""The ``[keymap]`` of the config file: any binding moved to other keys, by its id.

Every binding of the app has an id, ``aria2-top.<name>``: the app's commands by the
names in :data:`aria2_top.ui.keys.KEYS` (``pause``, ``remove``…), the others by
where they are (``details.close``, ``files.select``, ``options.down-limit``,
``remove-dialog.delete``…). In the config file the ``aria2-top.`` may be left out::

    [keymap]
    pause = "z"               # p pauses no more: z does
    "files.select" = "x,space"

An entry that names no binding, or keys that are not keys, is said at start, and
the rest apply (Textual's ``App.set_keymap``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import ModuleType

from textual.binding import Binding
from textual.dom import DOMNode

from aria2_top.ui.keys import ID_PREFIX, KEYS, binding_id

_KEY = re.compile(r"^([a-z]+\+)*([a-z0-9_]+|[^\s,+a-z0-9])$")
"""A key as Textual names it: ``z``, ``Z``, ``ctrl+x``, ``f5``, ``pageup``, ``?``."""


def binding_ids() -> set[str]:
    """The id of every binding of the app (its classes are imported here)."""
    from aria2_top.ui.dashboard.screen import DashboardScreen  # noqa: PLC0415
    from aria2_top.ui.screens import (  # noqa: PLC0415
        add_dialog,
        choose,
        daemons,
        debug_info,
        events,
        global_options,
        help,
        history,
        input_dialog,
        limits_dialog,
        remove_dialog,
        setup,
    )
    from aria2_top.ui.widgets import downloads_table, ordered_input, prompt  # noqa: PLC0415
    from aria2_top.ui.widgets.details import files, options, pane, tables  # noqa: PLC0415

    modules: list[ModuleType] = [add_dialog, choose, daemons, debug_info, events, global_options]
    modules += [help, history, input_dialog, limits_dialog, remove_dialog, setup]
    modules += [downloads_table]
    modules += [ordered_input, prompt, files, options, pane, tables]
    classes: list[type[DOMNode]] = [DashboardScreen]
    for module in modules:
        classes += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, DOMNode)
        ]
    ids = {binding_id(spec) for spec in KEYS}
    for cls in classes:
        for klass in cls.__mro__:
            ids |= _ids(getattr(klass, "BINDINGS", []))
    return ids


def _ids(bindings: Iterable[object]) -> set[str]:
    return {
        b.id for b in bindings if isinstance(b, Binding) and b.id and b.id.startswith(ID_PREFIX)
    }


def check_keymap(
    table: Mapping[str, str], known: set[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """(the keymap to apply, one line per entry left out and why)."""
    known = binding_ids() if known is None else known
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for name, keys in table.items():
        full = name if name.startswith(ID_PREFIX) else ID_PREFIX + name
        if full not in known:
            close = sorted(i.removeprefix(ID_PREFIX) for i in known if name.split(".")[-1] in i)
            hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
            problems.append(f"keymap: {name!r} names no key of aria2-top{hint}: left out")
            continue
        wanted = [key.strip() for key in keys.split(",")]
        if not wanted or not all(_KEY.match(key.lower()) for key in wanted):
            problems.append(f"keymap: {name} = {keys!r} is not a list of keys: left out")
            continue
        keymap[full] = ",".join(wanted)
    problems += _clashes(keymap)
    return keymap, problems


def _clashes(keymap: Mapping[str, str]) -> list[str]:
    """Commands the keymap gave a key another command still has (Textual keeps both
    and runs one of them)."""
    keys_of = {
        binding_id(spec): keymap.get(binding_id(spec), spec.keys).split(",") for spec in KEYS
    }
    said = []
    for moved, keys in keymap.items():
        for key in keys.split(","):
            others = [
                other.removeprefix(ID_PREFIX)
                for other, their in keys_of.items()
                if other != moved and key in their
            ]
            if moved in keys_of and others:
                said.append(
                    f"keymap: {moved.removeprefix(ID_PREFIX)} = {key!r}, "
                    f"but {key} is also {', '.join(others)}'s key: move one of them"
                )
    return said
