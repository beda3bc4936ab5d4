"""Ctrl+O's parts: which folder is a download's, the ``file_manager`` key (a list of
words or a string), and a folder that is not there said in words (ops/opening.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.config.keys import BY_NAME, read_settings
from aria2_top.ops.opening import OpenError, download_folder, open_command, open_folder


def _status(folder: str, *paths: str) -> dict[str, object]:
    return {"dir": folder, "files": [{"path": path} for path in paths]}


@pytest.mark.parametrize(
    ("status", "folder"),
    [
        (_status("/d", "/d/a.iso"), "/d"),
        (_status("/d", "/d/sub/a.iso"), "/d/sub"),
        (_status("/d", "/d/Show/e1.mkv", "/d/Show/extra/e2.srt"), "/d/Show"),
        (_status("/d", "/d/A/x", "/d/B/y"), "/d"),
        (_status("/d", "[METADATA]0123abcd"), "/d"),
        (_status("/d", "/elsewhere/a.iso"), "/d"),  # not inside its dir: its dir
        (_status("/d/", "/d2/a.iso"), "/d"),
        (_status("/d"), "/d"),
        ({"files": "bad"}, ""),
    ],
)
def test_the_folder_of_a_download(status: dict[str, object], folder: str) -> None:
    assert download_folder(status) == folder


def test_the_file_manager_is_words_or_a_string() -> None:
    warnings: list[str] = []
    values = read_settings({"file_manager": "nautilus --new-window"}, "c", warnings)
    assert values["file_manager"] == ("nautilus", "--new-window")
    values = read_settings({"file_manager": ["my fm", "-n"]}, "c", warnings)
    assert values["file_manager"] == ("my fm", "-n")
    assert warnings == []
    for bad in ('fm "', [], ["fm", 3], 7):
        read_settings({"file_manager": bad}, "c", warnings)
    assert len(warnings) == 4
    assert all("file_manager" in w and "none is used" in w for w in warnings)
    assert BY_NAME["file_manager"].default is None
    assert open_command("/d", ("my fm", "-n")) == ["my fm", "-n", "/d"]
    assert open_command("/d", "fm -n") == ["fm", "-n", "/d"]


def test_a_folder_not_there_is_said(tmp_path: Path) -> None:
    with pytest.raises(OpenError, match="does not exist"):
        open_folder(str(tmp_path / "nope"), None)
    (tmp_path / "file").write_text("")
    with pytest.raises(OpenError, match="is not a folder"):
        open_folder(str(tmp_path / "file"), None)
    with pytest.raises(OpenError, match="no no-such-file-manager to open it with"):
        open_folder(str(tmp_path), ["no-such-file-manager"])
