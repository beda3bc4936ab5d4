"""Debug switches with no daemon: nothing written without --debug, devtools among
Textual's features, F12 in the key table, help and palette."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from aria2_top.diagnostics.debug_log import (
    LOGGER_NAME,
    active_log_path,
    enable_textual_devtools,
)
from aria2_top.ui.debug_report import NO_LOG, collect_debug_info
from aria2_top.ui.keys import KEYS, help_lines, palette_entries
from tests.support.ui import make_settings


def test_without_debug_nothing_is_written_nor_said(tmp_path: Path) -> None:
    assert active_log_path() is None
    logger = logging.getLogger(LOGGER_NAME)
    assert not logger.isEnabledFor(logging.DEBUG), "the RPC lines cost nothing"
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    info = collect_debug_info([], make_settings(tmp_path), None)
    assert NO_LOG in info.text()


def test_devtools_are_added_to_the_textual_features(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL", "headless")
    enable_textual_devtools()
    assert os.environ["TEXTUAL"] == "debug,devtools,headless"


def test_f12_is_a_key_of_the_table_help_and_palette() -> None:
    spec = next(spec for spec in KEYS if spec.name == "debug-info")
    assert (spec.keys, spec.group) == ("f12", "General")
    assert spec in palette_entries()
    assert ("General", "F12", "Debug info: versions, timings") in help_lines()
