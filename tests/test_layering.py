"""The core has no terminal: rpc/, core/ and the modules around the daemon import
neither Textual nor Rich nor aria2_top.ui (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import aria2_top

SOURCE = Path(aria2_top.__file__).parent


def _modules(package: str) -> list[str]:
    """Every module of ``package`` (a subfolder of the source), found on disk: a new
    module is checked without being listed here."""
    folder = SOURCE.joinpath(*package.split(".")[1:])
    return [package] + [f"{package}.{path.stem}" for path in sorted(folder.glob("[!_]*.py"))]


HEADLESS = [
    *_modules("aria2_top.rpc"),
    *_modules("aria2_top.core"),
    "aria2_top.config",
    "aria2_top.daemon",
    "aria2_top.private_daemon",
    "aria2_top.private_files",
    "aria2_top.endpoint",
    "aria2_top.session",
    "aria2_top.crash_report",
    "aria2_top.idle_gc",
    "aria2_top.desktop_notify",
    "aria2_top.download_history",
    "aria2_top.history_cli",
    "aria2_top.config_writer",
    "aria2_top.debug_log",
    "aria2_top.debug_info",
    "aria2_top.versions",
    "aria2_top.serve",
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
