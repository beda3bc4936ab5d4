"""Every key in the key table runs an action that exists."""

from __future__ import annotations

import re

import pytest

from aria2_top.ui.dashboard import DashboardScreen
from aria2_top.ui.keys import KEYS, bindings, table_bindings
from aria2_top.ui.widgets.details.pane import DetailsPane
from aria2_top.ui.widgets.downloads_table import DownloadsTable


@pytest.mark.parametrize("spec", KEYS, ids=lambda spec: spec.name)
def test_action_exists(spec: object) -> None:
    from aria2_top.ui.keys import KeySpec

    assert isinstance(spec, KeySpec)
    name = re.match(r"\w+", spec.action)
    assert name is not None
    # Defined by the dashboard itself (in one of its parts): Textual's Screen has
    # actions of its own (focus_next, ...) that a typo could silently land on.
    owners = [cls for cls in DashboardScreen.__mro__ if f"action_{name.group()}" in vars(cls)]
    assert owners and owners[0].__module__.startswith("aria2_top."), spec.action


def test_bindings_cover_the_table_once() -> None:
    keys = [b.key for b in bindings()] + [b.key for b in table_bindings()]
    assert len(keys) == len(KEYS) == len(set(keys))
    assert all(b.action.startswith("screen.") for b in table_bindings())
    table_keys = {b.key for b in DownloadsTable.BINDINGS}  # type: ignore[union-attr]
    assert {"tab", "shift+tab"} <= table_keys


def test_details_pane_actions_exist() -> None:
    for binding in DetailsPane.BINDINGS:
        assert not isinstance(binding, tuple)
        action = re.match(r"\w+", binding.action)
        assert action is not None
        assert callable(getattr(DetailsPane, f"action_{action.group()}", None)), binding.action


def test_help_pairs_name_real_keys() -> None:
    from aria2_top.ui.keys import HELP_PAIRS, help_lines

    names = {spec.name for spec in KEYS}
    for first, (_, _, partner) in HELP_PAIRS.items():
        assert {first, partner} <= names
    words = [line[2] for line in help_lines()]
    assert len(words) == len(KEYS) - len(HELP_PAIRS) - 5  # 2-6 share the views line
