"""The command line says in one line where the report of an unexpected error is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aria2_top.cli import main as cli


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
