"""The command line as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aria2_top import __version__


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aria2_top", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"aria2-top {__version__}"


def test_help_lists_connection_options() -> None:
    result = _run("--help")
    assert result.returncode == 0
    options = ("--rpc-url", "--secret", "--keep-daemon", "--interval", "--debug", "ARIA2_RPC_URL")
    for option in options:
        assert option in result.stdout


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    conf = tmp_path / "c.toml"
    conf.write_text("interval = 'x'\n")
    result = _run("--config", str(conf))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "interval" in result.stderr


def test_console_script_installed() -> None:
    script = Path(sys.executable).parent / "aria2-top"
    assert script.is_file()
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == f"aria2-top {__version__}"


def test_add_help_lists_only_what_add_uses() -> None:
    result = _run("add", "--help")
    assert result.returncode == 0
    for option in ("--dir", "--out", "--paused", "--top", "--rpc-url", "--secret"):
        assert option in result.stdout
    assert "--interval" not in result.stdout and "--keep-daemon" not in result.stdout
