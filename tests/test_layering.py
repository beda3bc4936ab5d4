"""The core has no terminal: rpc/, core/ and the modules around the daemon import
neither Textual nor Rich nor aria2_top.ui (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = [
    "aria2_top.rpc",
    "aria2_top.rpc.client",
    "aria2_top.rpc.notifications",
    "aria2_top.core.actions",
    "aria2_top.core.adding",
    "aria2_top.core.details",
    "aria2_top.core.existing",
    "aria2_top.core.format",
    "aria2_top.core.options",
    "aria2_top.core.overview",
    "aria2_top.core.poller",
    "aria2_top.core.query",
    "aria2_top.config",
    "aria2_top.daemon",
    "aria2_top.private_daemon",
    "aria2_top.endpoint",
    "aria2_top.crash_report",
]
FORBIDDEN = ("textual", "rich", "aria2_top.ui")


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_imports_no_ui(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN[:2]!r}"
        f" or m.startswith({FORBIDDEN[2]!r}))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
