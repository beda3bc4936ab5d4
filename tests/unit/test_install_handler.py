"""``aria2-top install-handler``: the desktop entry that makes magnet links and .torrent
files open with ``aria2-top add``, registered with xdg-mime; never a file of someone
else replaced or removed (cli/handler.py)."""

from __future__ import annotations

import argparse
import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aria2_top.cli import handler
from aria2_top.cli.handler import MARKER, desktop_entry, exec_value
from aria2_top.ops.add_input import AddItem, parse_line

TORRENT = b"d4:infod4:name4:demo12:piece lengthi16384e6:pieces0:ee"


def _exec_words(value: str) -> list[str]:
    """An Exec value read back as the Desktop Entry spec says: the string escapes
    first (``\\\\`` is one backslash), then the quoting (``\\`` before ``"`$\\``)."""
    text = value.replace("\\\\", "\x00").replace("\x00", "\\")
    words: list[str] = []
    word, quoted, i, started = "", False, 0, False
    while i < len(text):
        char = text[i]
        if quoted and char == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            word, i = word + text[i + 1], i + 2
            continue
        if char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started or word:
                words.append(word)
            word, started = "", False
        else:
            word, started = word + char, True
        i += 1
    if started or word:
        words.append(word)
    return [w.replace("%%", "%") if w != "%u" else w for w in words]


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


@pytest.mark.parametrize(
    "command",
    [
        ["/usr/bin/aria2-top"],
        ["/home/me/my apps/py\\thon 100%", "-m", "aria2_top"],
        ['/opt/a"b$c`d;e(f)/aria2-top'],
    ],
)
def test_exec_line_quotes_each_word_as_the_spec_says(command: list[str]) -> None:
    value = exec_value(command)
    assert _exec_words(value) == [*command, "add", "%u"]
    assert value.endswith(" add %u")


def test_a_control_character_in_the_command_is_refused() -> None:
    with pytest.raises(ValueError, match="control"):
        exec_value(["/opt/a\nb/aria2-top"])


def test_the_entry_hides_itself_and_names_both_types() -> None:
    text = desktop_entry(["/usr/bin/aria2-top"])
    assert "MimeType=x-scheme-handler/magnet;application/x-bittorrent;\n" in text
    for line in ("NoDisplay=true", "Terminal=false", MARKER, "Type=Application"):
        assert f"\n{line}\n" in text


def _fake_tools(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose xdg-mime and update-desktop-database log their arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "tools.log"
    for tool in ("xdg-mime", "update-desktop-database"):
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{log}"\n')
        script.chmod(0o755)
    data = tmp_path / "data"
    env = dict(
        os.environ, XDG_DATA_HOME=str(data), PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    )
    return env, log


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aria2_top", "install-handler", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=env,
    )


def test_install_writes_the_entry_and_registers_it(tmp_path: Path) -> None:
    env, log = _fake_tools(tmp_path)
    ran = _run(env)
    assert ran.returncode == 0, ran.stderr
    folder = tmp_path / "data" / "applications"
    path = folder / "aria2-top.desktop"
    entry = _entry(path)
    assert _exec_words(entry["Exec"]) == [sys.executable, "-m", "aria2_top", "add", "%u"]
    assert entry["MimeType"] == "x-scheme-handler/magnet;application/x-bittorrent;"
    assert (entry["NoDisplay"], entry["Terminal"]) == ("true", "false")
    assert log.read_text().splitlines() == [
        "xdg-mime default aria2-top.desktop x-scheme-handler/magnet",
        "xdg-mime default aria2-top.desktop application/x-bittorrent",
        f"update-desktop-database {folder}",
    ]
    said = ran.stdout.splitlines()
    assert said[0] == f"wrote {path}"
    assert len(said) == 4
    assert "x-scheme-handler/magnet" in said[1]
    assert "application/x-bittorrent" in said[2]
    # Again: its own file is replaced (the same text), no question asked.
    assert _run(env).returncode == 0


def test_someone_elses_file_is_never_replaced_or_removed(tmp_path: Path) -> None:
    env, log = _fake_tools(tmp_path)
    path = tmp_path / "data" / "applications" / "aria2-top.desktop"
    path.parent.mkdir(parents=True)
    theirs = "[Desktop Entry]\nType=Application\nName=mine\nExec=mine %u\n"
    path.write_text(theirs)
    refused = _run(env)
    assert refused.returncode == 1
    assert "did not write it" in refused.stderr
    assert path.read_text() == theirs
    assert not log.exists()
    kept = _run(env, "--remove")
    assert kept.returncode == 1
    assert "not written by aria2-top" in kept.stderr
    assert path.read_text() == theirs
    forced = _run(env, "--force")
    assert forced.returncode == 0, forced.stderr
    assert MARKER in path.read_text()


def test_remove_deletes_only_its_own_file(tmp_path: Path) -> None:
    env, _log = _fake_tools(tmp_path)
    path = tmp_path / "data" / "applications" / "aria2-top.desktop"
    assert _run(env).returncode == 0
    neighbour = path.parent / "other.desktop"
    neighbour.write_text("[Desktop Entry]\n")
    removed = _run(env, "--remove")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines()[0] == f"removed {path}"
    assert not path.exists()
    assert neighbour.exists()
    again = _run(env, "--remove")
    assert again.returncode == 0
    assert "nothing to remove" in again.stdout


def test_without_xdg_mime_it_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = dict(os.environ, XDG_DATA_HOME=str(data), PATH=str(empty))
    ran = _run(env)
    assert ran.returncode == 0, ran.stderr
    assert "xdg-mime not found" in ran.stdout
    assert (data / "applications" / "aria2-top.desktop").is_file()


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_on_macos_and_windows_it_says_how_and_writes_nothing(
    platform: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    args = argparse.Namespace(remove=False, force=False)
    assert handler.install_handler_main(args) == 0
    assert "magnet" in capsys.readouterr().out
    assert not (tmp_path / "data").exists()


def test_add_takes_a_file_uri_and_a_path_with_spaces(tmp_path: Path) -> None:
    torrent = tmp_path / "a b" / "the demo.torrent"
    torrent.parent.mkdir()
    torrent.write_bytes(TORRENT)
    uri = torrent.as_uri()
    for given in (uri, str(torrent)):
        item = parse_line(given, 1)
        assert item == AddItem(1, "torrent", path=torrent, data=TORRENT)
