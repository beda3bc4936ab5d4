"""The command line says in one line where the report of an unexpected error is."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aria2_top.cli import main as cli
from tests.support.terminal import user_environment


def test_the_command_line_says_where_the_report_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> int:
        raise KeyError("unexpected")

    monkeypatch.setattr(cli, "_run_app", broken)
    monkeypatch.setattr("aria2_top.config.settings.default_data_dir", lambda: tmp_path / "data")
    config = tmp_path / "config.toml"
    assert cli.main(["--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "unexpected error (KeyError)" in err
    reports = list((tmp_path / "data").glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err


@pytest.mark.parametrize("args", [("completion", "fish"), ("completion", "bash")])
def test_a_reader_that_goes_away_is_not_a_crash(tmp_path: Path, args: tuple[str, ...]) -> None:
    """``aria2-top … | head -1``: the rest of the output has nowhere to go, which is
    the reader's choice, not an error of aria2-top's: no report, no words, 141."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, 4096)  # the output never fits in it
    process = subprocess.Popen(
        [sys.executable, "-m", "aria2_top", *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=user_environment(tmp_path),
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.readline()  # the first line, as `head -1` reads it, then gone
    _, err = process.communicate(timeout=60)
    assert process.returncode == 141, err
    assert err == b""
    assert not list(tmp_path.rglob("crash-*.txt"))
