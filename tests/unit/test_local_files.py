"""Deleting a download's data on this machine: only inside its folder, symlinks never
followed, folders only when empty (ops/local_files.py, on real files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.daemon.endpoint import is_local
from aria2_top.model.ownership import Claims, FileEntry
from aria2_top.ops.local_files import delete, plan_deletion
from aria2_top.rpc.wire import is_loopback_url


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


def _claims(
    folder: Path,
    paths: list[str],
    *,
    torrent: str | None = None,
    status: str = "complete",
    completed: int | None = None,
    error_code: str = "",
) -> Claims:
    """A download of ``paths`` (5,000 bytes each, completed unless ``completed``
    says how much) in ``folder``."""
    done = 5000 if completed is None else completed
    entries = tuple(FileEntry(p, 5000, done, i * 5000) for i, p in enumerate(paths))
    return Claims(
        gid="0123456789abcdef",
        status=status,
        folder=str(folder),
        files=entries,
        torrent_name=torrent,
        is_torrent=False,
        bitfield="",
        piece_length=0,
        num_pieces=0,
        error_code=error_code,
    )


def test_control_file() -> None:
    folder = Path("/d")
    assert _claims(folder, ["/d/album/a.flac"], torrent="album").control == "/d/album.aria2"
    assert _claims(folder, ["/d/x.iso"]).control == "/d/x.iso.aria2"
    assert _claims(folder, []).control is None


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
    plan = plan_deletion(_claims(folder, paths, torrent="album", status="active", completed=9), {})
    assert plan.shown_paths(5) == ["album/disc 1/01.flac", "album/cover.jpg", "album.aria2"]
    assert plan.size >= 3 * 4096 and plan.refused == () and plan.kept == ()
    done = delete(plan)
    assert (done.files, done.folders, done.errors) == (3, 2, [])
    assert sorted(p.name for p in folder.iterdir()) == ["theirs.txt"]
    assert folder.is_dir(), "the download folder itself stays"


def test_nothing_outside_the_folder_is_touched(tmp_path: Path) -> None:
    folder, outside = _tree(tmp_path)
    (folder / "link.txt").symlink_to(outside / "precious.txt")
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    (folder / "mine.bin").write_bytes(b"x" * 5000)
    paths = [
        str(folder / "link.txt"),  # a symlink: aria2 wrote no link, never followed
        str(folder / "linked-dir" / "precious.txt"),  # through a symlinked folder: refused
        str(folder / ".." / "elsewhere" / "precious.txt"),  # climbs out: refused
        "/etc/passwd",
        str(folder),  # the folder itself: refused
        "../elsewhere/precious.txt",  # relative, climbing out
        str(folder / "gone.bin"),  # already gone: no error
        str(folder / "mine.bin"),
    ]
    plan = plan_deletion(_claims(folder, paths), {})
    assert plan.files == (folder / "mine.bin",)
    assert len(plan.refused) == 5
    assert [k.path for k in plan.kept] == ["link.txt"]
    done = delete(plan)
    assert done.files == 1 and done.errors == []
    assert (outside / "precious.txt").read_text() == "keep me"
    assert (folder / "link.txt").is_symlink() and (folder / "linked-dir").is_symlink()
    assert Path("/etc/passwd").exists()


def test_a_folder_swapped_for_a_symlink_after_planning_is_left_alone(tmp_path: Path) -> None:
    folder, outside = _tree(tmp_path)
    (outside / "01.flac").write_text("not yours")
    plan = plan_deletion(_claims(folder, [str(folder / "album/disc 1/01.flac")]), {})
    (folder / "album/disc 1/01.flac").unlink()
    (folder / "album/disc 1").rmdir()
    (folder / "album/disc 1").symlink_to(outside, target_is_directory=True)
    done = delete(plan)
    assert done.files == 0 and len(done.errors) == 1
    assert (outside / "01.flac").read_text() == "not yours"


def test_a_folder_with_someone_elses_file_stays(tmp_path: Path) -> None:
    folder, _ = _tree(tmp_path)
    (folder / "album" / "notes-of-mine.txt").write_text("mine")
    plan = plan_deletion(_claims(folder, [str(folder / "album/disc 1/01.flac")]), {})
    done = delete(plan)
    assert done.files == 1 and done.folders == 1  # "disc 1" only
    assert (folder / "album" / "notes-of-mine.txt").exists()


def test_a_file_the_download_never_wrote_stays(tmp_path: Path) -> None:
    """A torrent that failed with error 13 over the user's own file of the same name
    owns nothing: no control file, nothing completed."""
    folder, _ = _tree(tmp_path)
    (folder / "precious.txt").write_bytes(b"p" * 5000)
    claims = _claims(
        folder, [str(folder / "precious.txt")], status="error", completed=0, error_code="13"
    )
    plan = plan_deletion(claims, {})
    assert plan.files == () and plan.size == 0
    assert [k.path for k in plan.kept] == ["precious.txt"]
    assert "error 13" in plan.kept[0].reason and "never wrote" in plan.kept[0].reason


def test_a_file_another_download_holds_stays(tmp_path: Path) -> None:
    """The same path named by another download (here through a symlinked folder): its
    file and the control file stay, each said."""
    folder, _ = _tree(tmp_path)
    (tmp_path / "alias").symlink_to(folder, target_is_directory=True)
    path = str(folder / "album/cover.jpg")
    claims = _claims(folder, [path, str(folder / "album/disc 1/01.flac")], torrent="album")
    held = {str(tmp_path / "alias/album/cover.jpg"): ["report.bin"]}
    plan = plan_deletion(claims, held)
    assert plan.files == (folder / "album/disc 1/01.flac",)
    reasons = {k.path: k.reason for k in plan.kept}
    assert reasons == {
        "album/cover.jpg": "report.bin holds it too",
        "album.aria2": "another download holds its files",
    }


def test_a_completed_file_swapped_after_planning_stays(tmp_path: Path) -> None:
    folder, _ = _tree(tmp_path)
    path = folder / "album/cover.jpg"
    plan = plan_deletion(_claims(folder, [str(path)]), {})
    assert plan.files == (path,)
    path.unlink()
    path.write_bytes(b"y" * 5000)  # another file of the same name and size
    done = delete(plan)
    assert done.files == 0 and done.errors == [
        "album/cover.jpg: changed since it was looked at, left alone"
    ]
    assert path.read_bytes() == b"y" * 5000


def test_a_file_of_the_wrong_length_is_not_complete(tmp_path: Path) -> None:
    folder, _ = _tree(tmp_path)
    (folder / "theirs.txt").write_bytes(b"t" * 4999)
    plan = plan_deletion(_claims(folder, [str(folder / "theirs.txt")]), {})
    assert plan.files == () and plan.kept[0].path == "theirs.txt"
