"""The layers below the terminal import neither Textual nor Rich nor aria2_top.ui
(checked in a fresh interpreter, module by module: found by folder, so a new module
is checked without being listed). Which layer may import which is import-linter's
(pyproject.toml, run by .ci/run)."""

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


HEADLESS_PACKAGES = ("rpc", "model", "config", "storage", "diagnostics", "daemon", "live", "ops")
"""Every layer below the terminal's (ui, web, cli): see ARCHITECTURE.md."""
HEADLESS = [
    *(module for package in HEADLESS_PACKAGES for module in _modules(f"aria2_top.{package}")),
    "aria2_top.web.serve",
    "aria2_top.cli.history",
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


FIRST_ROWS_PATH = ("aria2_top.cli.main", "aria2_top.ui.first_rows")
"""What runs before the first rows are on screen (see ARCHITECTURE.md, "The start")."""
NOT_BEFORE_FIRST_ROWS = ("textual", "httpx", "websockets", "asyncio", "sqlite3", "aria2_top.live")


def test_the_first_rows_wait_for_none_of_the_heavy_modules() -> None:
    probe = (
        f"import sys, {', '.join(FIRST_ROWS_PATH)}\n"
        f"heavy = {NOT_BEFORE_FIRST_ROWS!r}\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if any(m == h or m.startswith(h + '.') for h in heavy))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"the first rows wait for {result.stdout.strip()}"
