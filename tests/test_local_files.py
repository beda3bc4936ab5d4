"""Deleting a download's data on this machine: only inside its folder, symlinks never
followed, folders only when empty (core/local_files.py, on real files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.core.local_files import (
    control_file,
    delete,
    is_local,
    is_loopback_url,
    plan_deletion,
)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:6800/jsonrpc", True),
        ("http://127.8.9.10:6800/jsonrpc", True),
        ("http://[::1]:6800/jsonrpc", True),
        ("http://localhost:6800/jsonrpc", True),
        ("https://LOCALHOST/jsonrpc", True),
        ("http://nas.lan:6800/jsonrpc", False),
        ("http://10.0.0.2:6800/jsonrpc", False),
        ("http://127.0.0.1.evil.example/jsonrpc", False),
        ("not a url", False),
        ("http://[::1/jsonrpc", False),
    ],
)
def test_loopback_urls(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


def test_local_needs_the_folder_here(tmp_path: Path) -> None:
    url = "http://127.0.0.1:6800/jsonrpc"
    assert is_local(url, str(tmp_path))
    assert not is_local(url, str(tmp_path / "missing"))
    assert not is_local(url, None)
    assert not is_local("http://nas.lan:6800/jsonrpc", str(tmp_path))


def test_control_file() -> None:
    assert control_file("/d", ["/d/album/a.flac"], "album") == "/d/album.aria2"
    assert control_file("/d", ["/d/x.iso"], None) == "/d/x.iso.aria2"
    assert control_file("/d", ["", ""], None) is None


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    folder, outside = tmp_path / "downloads", tmp_path / "elsewhere"
    (folder / "album" / "disc 1").mkdir(parents=True)
    outside.mkdir()
    for name in ("album/disc 1/01.flac", "album/cover.jpg", "album.aria2", "theirs.txt"):
        (folder / name).write_bytes(b"x" * 5000)
    (outside / "precious.txt").write_text("keep me")
    return folder, outside


def test_delete_removes_the_files_the_control_file_and_empty_folders(tmp_path: Path) -> None:
    folder, _ = _tree(tmp_path)
    paths = [str(folder / "album/disc 1/01.flac"), str(folder / "album/cover.jpg")]
    plan = plan_deletion(str(folder), paths, control_file(str(folder), paths, "album"))
    assert plan.shown_paths(5) == ["album/disc 1/01.flac", "album/cover.jpg", "album.aria2"]
    assert plan.size >= 3 * 4096 and plan.refused == ()
    done = delete(plan)
    assert (done.files, done.folders, done.errors) == (3, 2, [])
    assert sorted(p.name for p in folder.iterdir()) == ["theirs.txt"]
    assert folder.is_dir(), "the download folder itself stays"


def test_nothing_outside_the_folder_is_touched(tmp_path: Path) -> None:
    folder, outside = _tree(tmp_path)
    (folder / "link.txt").symlink_to(outside / "precious.txt")
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    paths = [
        str(folder / "link.txt"),  # a symlink: removed itself, never its target
        str(folder / "linked-dir" / "precious.txt"),  # through a symlinked folder: refused
        str(folder / ".." / "elsewhere" / "precious.txt"),  # climbs out: refused
        "/etc/passwd",
        str(folder),  # the folder itself: refused
        "../elsewhere/precious.txt",  # relative, climbing out
        str(folder / "gone.bin"),  # already gone: no error
    ]
    plan = plan_deletion(str(folder), paths, None)
    assert plan.files == (folder / "link.txt",)
    assert len(plan.refused) == 5
    done = delete(plan)
    assert done.files == 1 and done.errors == []
    assert (outside / "precious.txt").read_text() == "keep me"
    assert not (folder / "link.txt").exists() and (folder / "linked-dir").is_symlink()
    assert Path("/etc/passwd").exists()


def test_a_folder_swapped_for_a_symlink_after_planning_is_left_alone(tmp_path: Path) -> None:
    folder, outside = _tree(tmp_path)
    (outside / "01.flac").write_text("not yours")
    plan = plan_deletion(str(folder), [str(folder / "album/disc 1/01.flac")], None)
    (folder / "album/disc 1/01.flac").unlink()
    (folder / "album/disc 1").rmdir()
    (folder / "album/disc 1").symlink_to(outside, target_is_directory=True)
    done = delete(plan)
    assert done.files == 0 and len(done.errors) == 1
    assert (outside / "01.flac").read_text() == "not yours"


def test_a_folder_with_someone_elses_file_stays(tmp_path: Path) -> None:
    folder, _ = _tree(tmp_path)
    (folder / "album" / "notes-of-mine.txt").write_text("mine")
    plan = plan_deletion(str(folder), [str(folder / "album/disc 1/01.flac")], None)
    done = delete(plan)
    assert done.files == 1 and done.folders == 1  # "disc 1" only
    assert (folder / "album" / "notes-of-mine.txt").exists()
