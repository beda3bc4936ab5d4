"""The command line as a user runs it."""

from __future__ import annotations

import os
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
    """A file that cannot be read (not TOML, not UTF-8) and a bad --interval stop the
    app with one line; a bad value in the file is a warning in the app."""
    conf = tmp_path / "c.toml"
    for text in (b"interval = ", b"theme = '\xff'\n"):
        conf.write_bytes(text)
        result = _run("--config", str(conf))
        assert result.returncode == 2
        assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
        assert str(conf) in result.stderr
    conf.write_text("interval = 2\n")
    for interval in ("0.000000001", "nan", "inf"):
        result = _run("--config", str(conf), "--interval", interval)
        assert result.returncode == 2, interval
        assert result.stderr.strip().count("\n") == 0
        assert "--interval" in result.stderr and "must be" in result.stderr


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


def test_help_keeps_a_long_config_path_on_one_line(tmp_path: Path) -> None:
    home = tmp_path / ("a-long-home-folder-name-" * 4)
    env = dict(os.environ) | {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    result = subprocess.run(
        [sys.executable, "-m", "aria2_top", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0
    path = str(home / ".config" / "aria2-top" / "config.toml")
    assert any(line.strip() == path for line in result.stdout.splitlines()), result.stdout
