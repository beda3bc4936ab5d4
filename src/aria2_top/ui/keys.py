"""Every key of the app in one table: bindings, the help screen and the command
palette are all made from it, so they can never disagree.

Each binding has an ``id`` (``aria2-top.<name>``) so users can remap it with
Textual's keymap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One command: its keys, the action it runs, and how it is described."""

    name: str
    keys: str
    action: str
    description: str
    group: str
    footer: str = ""  # short label for the footer (one 80-column line in all); empty: not in it
    shown_keys: str = ""  # how the help screen writes the keys
    on_table: bool = False  # bound on the downloads table only (Tab moves focus elsewhere)
    in_help: bool = True  # False: covered by a neighbour's help line
    help_text: str = ""  # the help line, when it covers a neighbour too
    help_keys: str = ""  # the help line's keys, when it covers a neighbour too

    @property
    def help_line(self) -> tuple[str, str]:
        """(keys, words) as the help screen shows them."""
        return self.help_keys or self.shown_keys or self.keys, self.help_text or self.description


KEYS: tuple[KeySpec, ...] = (
    KeySpec("help", "f1,question_mark", "help", "Show this help", "General", "Help", "F1 ?"),
    KeySpec(
        "details", "enter", "open_details", "Details of the download", "General", "Details", "Enter"
    ),
    KeySpec("quit", "q,f10", "quit", "Quit", "General", "Quit", "q F10"),
    KeySpec("setup", "f2", "setup", "Setup: columns, sort, theme", "General", shown_keys="F2"),
    KeySpec("down", "j", "cursor('down')", "Move down", "Navigation", shown_keys="↓ j"),
    KeySpec("up", "k", "cursor('up')", "Move up", "Navigation", shown_keys="↑ k"),
    KeySpec(
        "first", "g", "cursor('top')", "Go to the first row", "Navigation", shown_keys="Home g"
    ),
    KeySpec(
        "last", "G", "cursor('bottom')", "Go to the last row", "Navigation", shown_keys="End G"
    ),
    KeySpec(
        "page-up",
        "pageup",
        "cursor('page_up')",
        "Page up",
        "Navigation",
        shown_keys="PgUp",
        on_table=True,
    ),
    KeySpec(
        "page-down",
        "pagedown",
        "cursor('page_down')",
        "Page down",
        "Navigation",
        shown_keys="PgDn",
        on_table=True,
    ),
    KeySpec(
        "follow",
        "F",
        "toggle_follow",
        "Follow mode (cursor follows)",
        "Navigation",
        shown_keys="F",
    ),
    KeySpec("tag", "space", "tag", "Tag / untag the row", "Tagging", shown_keys="Space"),
    KeySpec("untag", "U", "untag_all", "Untag all", "Tagging", shown_keys="U"),
    KeySpec("tag-all", "ctrl+a", "tag_all", "Tag all in the view", "Tagging", shown_keys="Ctrl+A"),
    KeySpec(
        "invert-tags",
        "asterisk",
        "invert_tags",
        "Invert tags in the view",
        "Tagging",
        shown_keys="*",
    ),
    KeySpec("pause", "p", "toggle_pause", "Pause / resume", "Downloads", "Pause", "p"),
    KeySpec(
        "pause-all", "P", "toggle_pause_all", "Pause all / resume all", "Downloads", shown_keys="P"
    ),
    KeySpec(
        "remove",
        "f9,delete",
        "remove",
        "Remove (asks)",
        "Downloads",
        "Remove",
        "F9 Del",
    ),
    KeySpec("add", "a", "add", "Add downloads", "Downloads", "Add", "a"),
    KeySpec("copy", "y", "copy", "Copy magnet, URIs, GID, path", "Downloads", shown_keys="y"),
    KeySpec("verify", "V", "verify", "Verify a torrent's data", "Downloads", shown_keys="V"),
    KeySpec("export", "E", "export_torrent", "Export the .torrent", "Downloads", shown_keys="E"),
    KeySpec("stream", "S", "stream", "Stream from the start", "Downloads", shown_keys="S"),
    KeySpec("open", "o", "open", "Open the file once enough is here", "Downloads", shown_keys="o"),
    KeySpec(
        "open-folder",
        "ctrl+o",
        "open_folder",
        "Open its folder in the file manager",
        "Downloads",
        shown_keys="Ctrl+O",
    ),
    KeySpec("move-files", "M", "move_files", "Move finished files", "Downloads", shown_keys="M"),
    KeySpec(
        "retry",
        "r",
        "retry",
        "Retry (at top or bottom?)",
        "Downloads",
        shown_keys="r",
    ),
    KeySpec(
        "uris", "u", "edit_uris", "Edit URIs: dead links, mirrors", "Downloads", shown_keys="u"
    ),
    KeySpec(
        "retry-all",
        "R",
        "retry_all",
        "Retry all failed in view",
        "Downloads",
        shown_keys="R",
    ),
    KeySpec("purge", "c", "purge", "Clear results (asks)", "Downloads", shown_keys="c"),
    KeySpec(
        "events",
        "e",
        "events",
        "Event log, link errors",
        "General",
        shown_keys="e",
    ),
    KeySpec(
        "history", "7", "history", "History: added, finished, again", "General", shown_keys="7"
    ),
    KeySpec(
        "daemons",
        "D",
        "daemons",
        "Daemons: state, limits, session, log, restart",
        "General",
        shown_keys="D",
    ),
    KeySpec(
        "debug-info",
        "f12",
        "debug_info",
        "Debug info: versions, timings",
        "General",
        shown_keys="F12",
    ),
    KeySpec("limits", "l", "download_limits", "↓/↑ limits of downloads", "Limits", shown_keys="l"),
    KeySpec("global-limits", "L", "global_limits", "Global ↓/↑ limits", "Limits", shown_keys="L"),
    KeySpec(
        "faster",
        "plus,equals_sign",
        "step_limit(1)",
        "Raise the global ↓ limit",
        "Limits",
        shown_keys="+",
    ),
    KeySpec(
        "slower", "minus", "step_limit(-1)", "Lower the global ↓ limit", "Limits", shown_keys="-"
    ),
    KeySpec(
        "turtle",
        "T",
        "toggle_turtle",
        "Turtle limits on / off ([turtle] sets them)",
        "Limits",
        shown_keys="T",
        help_text="Turtle limits on/off",
    ),
    KeySpec("options", "O", "global_options", "Global options", "Limits", shown_keys="O"),
    KeySpec(
        "move-up",
        "left_square_bracket,f7",
        "move('up')",
        "Move up in the queue",
        "Queue",
        shown_keys="[ F7",
    ),
    KeySpec(
        "move-down",
        "right_square_bracket,f8",
        "move('down')",
        "Move down in the queue",
        "Queue",
        shown_keys="] F8",
    ),
    KeySpec(
        "move-top",
        "t,shift+home",
        "move('top')",
        "Move to the top of the queue",
        "Queue",
        shown_keys="t Shift+Home",
    ),
    KeySpec(
        "move-bottom",
        "b,shift+end",
        "move('bottom')",
        "Move to the bottom of the queue",
        "Queue",
        shown_keys="b Shift+End",
    ),
    KeySpec("sort", "f6", "choose_sort", "Choose the sort column", "View", shown_keys="F6"),
    KeySpec(
        "sort-prev",
        "less_than_sign",
        "shift_sort(-1)",
        "Sort by the column to the left",
        "View",
        shown_keys="<",
    ),
    KeySpec(
        "sort-next",
        "greater_than_sign",
        "shift_sort(1)",
        "Sort by the column to the right",
        "View",
        shown_keys=">",
    ),
    KeySpec("invert", "I", "invert_sort", "Invert the sort order", "View", shown_keys="I"),
    KeySpec("host", "H", "cycle_host", "One daemon, the next, all", "View", shown_keys="H"),
    KeySpec("search", "slash,f3", "search", "Search", "View", "Search", "/ F3"),
    KeySpec("next-match", "n", "next_match(1)", "Next match", "View", shown_keys="n"),
    KeySpec("prev-match", "N", "next_match(-1)", "Previous match", "View", shown_keys="N"),
    KeySpec(
        "filter",
        "backslash,f4",
        "filter",
        "Filter as you type",
        "View",
        "Filter",
        "\\ F4",
    ),
    KeySpec("leave", "escape", "leave", "Clear filter / close pane", "View", shown_keys="Esc"),
    KeySpec(
        "next-view",
        "tab",
        "cycle_view(1)",
        "Next status view",
        "View",
        shown_keys="Tab",
        on_table=True,
    ),
    KeySpec(
        "prev-view",
        "shift+tab",
        "cycle_view(-1)",
        "Previous status view",
        "View",
        shown_keys="Shift+Tab",
        on_table=True,
    ),
    *(
        KeySpec(
            f"view-{n}",
            str(n),
            f"set_view({n - 1})",
            f"View: {label}",
            "View",
            shown_keys=str(n),
            in_help=n == 1,
            help_text="Views: All Active Waiting Paused Done Errors",
            help_keys="1–6",
        )
        for n, label in enumerate(("All", "Active", "Waiting", "Paused", "Done", "Errors"), 1)
    ),
)


HELP_PAIRS = {
    # first key: (shown keys, help words, the partner it covers)
    "down": ("↑ ↓ j k", "Move the cursor", "up"),
    "first": ("Home End g G", "First / last row", "last"),
    "move-up": ("[ ] F7 F8", "Up / down in the queue", "move-down"),
    "move-top": ("t b ⇧Home ⇧End", "Top / bottom of the queue", "move-bottom"),
    "sort-prev": ("< >", "Sort by the next column", "sort-next"),
    "next-match": ("n N", "Next / previous match", "prev-match"),
    "next-view": ("Tab Shift+Tab", "Next / previous view", "prev-view"),
    "faster": ("+ -", "Global ↓ limit up / down", "slower"),
    "page-up": ("PgUp PgDn", "Page up / down", "page-down"),
}


def help_lines(keymap: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(group, keys, words) for the help screen, pairs of keys on one line; keys the
    ``keymap`` (binding id -> keys) moved are shown where they went, each on its own
    line."""
    keymap = keymap or {}
    moved = {spec.name for spec in KEYS if binding_id(spec) in keymap}
    paired = {
        first: pair
        for first, pair in HELP_PAIRS.items()
        if first not in moved and pair[2] not in moved
    }
    covered = {partner for _, _, partner in paired.values()}
    lines = []
    for spec in KEYS:
        if spec.name in moved:
            lines.append((spec.group, key_display(keymap[binding_id(spec)]), spec.description))
            continue
        if not spec.in_help or spec.name in covered:
            continue
        keys, words = spec.help_line
        if spec.name in paired:
            keys, words, _ = paired[spec.name]
        lines.append((spec.group, keys, words))
    return lines


def shown_keys(spec: KeySpec, keymap: Mapping[str, str]) -> str:
    """The keys of ``spec`` as a person reads them, after the ``keymap``."""
    moved = keymap.get(binding_id(spec))
    return key_display(moved) if moved else spec.shown_keys or spec.keys


def key_display(keys: str) -> str:
    """``ctrl+x,f5,pageup,z`` -> ``Ctrl+X F5 PgUp z``."""
    return " ".join(_one_key(key.strip()) for key in keys.split(",") if key.strip())


_KEY_NAMES = {
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "space": "Space",
    "enter": "Enter",
    "escape": "Esc",
    "tab": "Tab",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "backspace": "Backspace",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def _one_key(key: str) -> str:
    *modifiers, name = key.split("+")
    shown = _KEY_NAMES.get(name) or (name.upper() if len(name) > 1 else name)
    if modifiers and len(name) == 1:
        shown = name.upper()
    return "+".join([*(m.capitalize() for m in modifiers), shown])


def binding_id(spec: KeySpec) -> str:
    """The id its binding has, for a ``[keymap]``: ``aria2-top.<name>``."""
    return f"{ID_PREFIX}{spec.name}"


ID_PREFIX = "aria2-top."


def _binding(spec: KeySpec, prefix: str = "") -> Binding:
    return Binding(
        spec.keys,
        prefix + spec.action,
        spec.footer or spec.description,
        show=bool(spec.footer),
        id=binding_id(spec),
        # Run by the app itself, in order (see ui/focus.py); the table's own keys
        # (Tab, PgUp...) are the table's.
        priority=not spec.on_table,
    )


APP_ACTIONS = frozenset(spec.action.split("(")[0] for spec in KEYS if not spec.on_table)
"""The app's own actions (not Textual's quit, palette...): the ones that step aside
for text fields and for widgets that bind the same key."""


def bindings() -> list[Binding]:
    """The app's bindings, made from :data:`KEYS`."""
    return [_binding(spec) for spec in KEYS if not spec.on_table]


def table_bindings() -> list[Binding]:
    """Bindings of the downloads table itself, running the dashboard's actions."""
    return [_binding(spec, "screen.") for spec in KEYS if spec.on_table]


def palette_entries() -> list[KeySpec]:
    """The commands listed in the command palette (Ctrl+P): all but plain motion."""
    return [spec for spec in KEYS if spec.group != "Navigation"]
