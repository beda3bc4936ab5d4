"""The private aria2c's log: its last lines read from its end, and the file cut to its
tail (still 0600) once it grew too long (daemon/process.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from aria2_top.daemon import process
from aria2_top.daemon.process import DaemonSpec, log_tail


def test_the_last_lines_and_never_a_cut_one(tmp_path: Path) -> None:
    log = tmp_path / "aria2c.log"
    log.write_text("".join(f"line {n:04d}\n" for n in range(1000)))
    assert log_tail(log, 3) == ["line 0997", "line 0998", "line 0999"]
    # A window that starts mid-line: that partial line is left out.
    assert log_tail(log, 1000, window=25) == ["line 0998", "line 0999"]
    assert log_tail(log, 5, window=10**6)[0] == "line 0995"
    with pytest.raises(OSError):
        log_tail(tmp_path / "none.log", 5)


def test_a_long_log_is_cut_to_its_tail_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "LOG_MAX_BYTES", 1000)
    monkeypatch.setattr(process, "LOG_KEEP_BYTES", 100)
    log = tmp_path / "aria2c.log"
    log.write_text("".join(f"line {n:04d}\n" for n in range(200)))
    process._cut_log(log)
    kept = log.read_text().splitlines()
    assert kept[-1] == "line 0199"
    assert 5 <= len(kept) <= 10
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    process._cut_log(log)  # short enough now: left as it is
    assert log.read_text().splitlines() == kept


def test_the_daemon_logs_what_it_does_into_its_state_folder(tmp_path: Path) -> None:
    spec = DaemonSpec(binary=Path("aria2c"), state_dir=tmp_path, download_dir=tmp_path)
    options = spec.aria2_options()
    assert options["log"] == str(tmp_path / "aria2c.log")
    assert options["log-level"] == "notice"
