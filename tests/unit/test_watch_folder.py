"""The watched folders' rules: which files, their new names, when one is ready, what
one holds, the config keys, and a watcher's looks (no daemon: ``take`` is given)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import shutil
import sys
from pathlib import Path

import pytest

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.ops.folder_watcher import FolderWatcher
from aria2_top.ops.watch_folder import (
    ADDED,
    FileLook,
    Settling,
    Taken,
    free_name,
    hashes_of,
    is_watched,
    magnet_hash,
    read_watched,
    rename,
)
from tests.support.waiting import wait_until

HASH = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("name", "watched"),
    [
        ("a.torrent", True),
        ("A.TORRENT", True),
        ("b.metalink", True),
        ("c.meta4", True),
        ("d.magnet", True),
        ("e.uris", True),
        ("a.torrent.added", False),
        ("a.torrent.2.added", False),
        ("a.torrent.invalid", False),
        ("a.torrent.adding", False),
        ("a.torrent.part", False),
        (".a.torrent", False),
        ("notes.txt", False),
        ("torrent", False),
    ],
)
def test_which_files_a_watched_folder_takes(name: str, watched: bool) -> None:
    assert is_watched(name) is watched


def test_a_name_already_there_is_never_replaced() -> None:
    there = {"a.torrent.added", "a.torrent.2.added"}
    assert free_name("a.torrent", ADDED, there.__contains__) == "a.torrent.3.added"
    assert free_name("b.torrent", ADDED, there.__contains__) == "b.torrent.added"


def test_rename_keeps_the_earlier_file(tmp_path: Path) -> None:
    (tmp_path / "a.torrent.added").write_text("earlier")
    dropped = tmp_path / "a.torrent"
    dropped.write_text("new")
    moved = rename(dropped, "a.torrent", ADDED)
    assert moved.name == "a.torrent.2.added" and moved.read_text() == "new"
    assert (tmp_path / "a.torrent.added").read_text() == "earlier"
    assert not dropped.exists()


def _look(size: int = 10, mtime: int = 1, name: str = "a.torrent") -> FileLook:
    return FileLook(Path("/w") / name, size, mtime)


def test_a_file_is_ready_after_two_same_looks_apart() -> None:
    settling = Settling(2.0)
    assert not settling.ready(_look(), 100.0), "first look: never"
    assert settling.next_ready(100.0) == pytest.approx(2.0)
    assert not settling.ready(_look(), 101.0), "too soon"
    assert settling.ready(_look(), 102.0)


def test_a_file_still_growing_is_waited_for() -> None:
    settling = Settling(2.0)
    settling.ready(_look(10, 1), 100.0)
    assert not settling.ready(_look(20, 2), 103.0), "it grew: the wait starts again"
    assert not settling.ready(_look(20, 3), 106.0), "touched: again"
    assert not settling.ready(_look(20, 3), 107.0)
    assert settling.ready(_look(20, 3), 108.0)


def test_an_empty_file_is_never_ready_and_not_waited_on() -> None:
    settling = Settling(2.0)
    settling.ready(_look(0), 100.0)
    assert not settling.ready(_look(0), 200.0)
    assert settling.next_ready(200.0) is None
    assert settling.waited() == [Path("/w/a.torrent")]


def test_files_gone_are_forgotten() -> None:
    settling = Settling(2.0)
    settling.ready(_look(name="a.torrent"), 100.0)
    settling.ready(_look(name="b.uris"), 100.0)
    settling.keep_only([Path("/w/b.uris")])
    assert settling.waited() == [Path("/w/b.uris")]


def test_magnet_hashes_hex_and_base32() -> None:
    assert magnet_hash(f"magnet:?xt=urn:btih:{HASH.upper()}&dn=x") == HASH
    b32 = base64.b32encode(bytes.fromhex(HASH)).decode()
    assert magnet_hash(f"magnet:?dn=x&xt=urn:btih:{b32}") == HASH
    assert magnet_hash("magnet:?xt=urn:sha1:abc") is None
    assert magnet_hash("magnet:?xt=urn:btih:nothex") is None


def test_a_uris_file_is_what_add_accepts(tmp_path: Path) -> None:
    path = tmp_path / "list.uris"
    path.write_text(
        "https://a.example/1.iso https://b.example/1.iso\n"
        "  dir=/tmp/x\n"
        "# a comment\n"
        f"magnet:?xt=urn:btih:{HASH}\n"
    )
    items = read_watched(path)
    assert not isinstance(items, str)
    assert [item.uris for item in items] == [
        ["https://a.example/1.iso", "https://b.example/1.iso"],
        [f"magnet:?xt=urn:btih:{HASH}"],
    ]
    assert items[0].options == {"dir": "/tmp/x"}
    assert hashes_of(items) == {HASH}


def test_a_bad_uris_file_says_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.uris"
    path.write_text("gopher://x/1\n  =\nhttps://ok.example/f\n")
    said = read_watched(path)
    assert isinstance(said, str)
    assert "line 1: unknown scheme 'gopher'" in said and "line 2:" in said


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("x.magnet", b"https://a.example/f\n", "a .magnet file holds magnet links only"),
        ("x.uris", b"\xff\xfe\x00junk", "not UTF-8 text"),
        ("x.uris", b"\n\n", "nothing to add"),
        ("x.torrent", b"<html>not a torrent</html>", "x.torrent is not a valid .torrent file"),
        ("x.meta4", b"d4:spam", "x.meta4 is not a valid .meta4 file"),
    ],
)
def test_a_file_that_holds_no_download_says_why(
    tmp_path: Path, name: str, data: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    got = read_watched(path)
    assert isinstance(got, str) and said in got


def test_watch_keys_are_read_and_checked(tmp_path: Path) -> None:
    conf = tmp_path / "c.toml"
    conf.write_text('watch = ["~/in", "/srv/drop"]\nwatch_daemon = "nas"\n')
    conf.chmod(0o600)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert settings.watch == (Path("~/in").expanduser(), Path("/srv/drop"))
    assert settings.watch_daemon == "nas" and not settings.warnings


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ('watch = "~/in"', "watch = '~/in' must be a list of texts in quotes: none is used"),
        ('watch = ["ok", 3]', "watch = ['ok', 3] must be a list of texts in quotes, none empty"),
        ('watch = [""]', "must be a list of texts in quotes, none empty"),
        ("watch_daemon = 4", "watch_daemon = 4 must be text in quotes"),
        (
            'watch_daemon = "nope"\n[[daemons]]\nname = "nas"\nrpc_url = "http://nas:6800/jsonrpc"',
            "watch_daemon = 'nope' names none of the [[daemons]] tables: the first daemon is used",
        ),
    ],
)
def test_a_wrong_watch_key_is_a_warning_and_left_out(
    tmp_path: Path, text: str, warning: str
) -> None:
    conf = tmp_path / "c.toml"
    conf.write_text(text + "\n")
    conf.chmod(0o600)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert any(warning in said for said in settings.warnings), settings.warnings
    assert settings.watch == () and settings.watch_daemon is None


class Recorder:
    """A ``take`` that renames files ``.added`` (or fails to, when told), and a
    ``tell`` that keeps what was said."""

    def __init__(self) -> None:
        self.taken: list[str] = []
        self.said: list[tuple[str, bool]] = []
        self.cannot_rename = False

    async def take(self, look: FileLook) -> Taken:
        self.taken.append(look.path.name)
        name = look.path.name
        if self.cannot_rename:
            return Taken(name, ("0" * 16,), now=look.path, rename_problem="could not rename it")
        return Taken(name, ("0" * 16,), now=rename(look.path, name, ADDED))

    def tell(self, text: str, trouble: bool) -> None:
        self.said.append((text, trouble))


async def test_a_watcher_takes_ready_files_once_and_leaves_others(tmp_path: Path) -> None:
    recorder = Recorder()
    (tmp_path / "a.torrent").write_bytes(b"x")
    (tmp_path / "b.uris.part").write_bytes(b"x")
    (tmp_path / ".c.torrent").write_bytes(b"x")
    (tmp_path / "empty.uris").write_bytes(b"")
    watcher = FolderWatcher([tmp_path], recorder.take, recorder.tell, events=False)
    watcher.settling.settle = 0.0
    await watcher.look()
    assert recorder.taken == [], "one look is not enough"
    await watcher.look()
    await watcher.look()
    assert recorder.taken == ["a.torrent"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".c.torrent",
        "a.torrent.added",
        "b.uris.part",
        "empty.uris",
    ]
    assert recorder.said == [("added a.torrent (1 download), now a.torrent.added", False)]


async def test_a_file_that_cannot_be_renamed_is_left_alone_until_it_changes(
    tmp_path: Path,
) -> None:
    recorder = Recorder()
    recorder.cannot_rename = True
    dropped = tmp_path / "a.torrent"
    dropped.write_bytes(b"x")
    watcher = FolderWatcher([tmp_path], recorder.take, recorder.tell, events=False)
    watcher.settling.settle = 0.0
    for _ in range(4):
        await watcher.look()
    assert recorder.taken == ["a.torrent"], "taken once, remembered"
    assert [trouble for _, trouble in recorder.said] == [True]
    dropped.write_bytes(b"xy")  # changed: a new file for the watcher
    for _ in range(2):
        await watcher.look()
    assert recorder.taken == ["a.torrent", "a.torrent"]


async def test_a_folder_gone_is_said_once_and_back_again(tmp_path: Path) -> None:
    recorder = Recorder()
    folder = tmp_path / "drop"
    watcher = FolderWatcher([folder], recorder.take, recorder.tell, events=False)
    await watcher.look()
    await watcher.look()
    assert recorder.said == [(f"watched folder {folder} is not there: looking for it", True)]
    assert watcher.present == ()
    folder.mkdir()
    await watcher.look()
    assert recorder.said[-1] == (f"watched folder {folder} is there: watching it", False)
    assert list(watcher.present) == [folder]


async def _running(watcher: FolderWatcher) -> asyncio.Task[None]:
    task = asyncio.get_running_loop().create_task(watcher.run())
    await wait_until(lambda: _now(watcher.looks), what="the first look")
    return task


async def _now(value: object) -> object:
    return value


async def _stopped(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_without_change_events_the_folders_are_looked_at_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # as where it does not install
    recorder = Recorder()
    watcher = FolderWatcher([tmp_path], recorder.take, recorder.tell)
    watcher.settling.settle = 0.1
    task = await _running(watcher)
    try:
        await wait_until(lambda: _now(recorder.said), what="the fallback said")
        said = recorder.said[0][0]
        assert "no change events" in said and "every 3 s" in said
        assert not watcher.follows_events()
        (tmp_path / "late.uris").write_text("x")
        await wait_until(lambda: _now(recorder.taken), what="the file taken")
        assert recorder.taken == ["late.uris"]
    finally:
        await _stopped(task)


async def test_a_watched_folder_that_vanishes_is_watched_again_when_back(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    recorder = Recorder()
    watcher = FolderWatcher([folder], recorder.take, recorder.tell)
    watcher.settling.settle = 0.1
    task = await _running(watcher)
    try:
        await wait_until(lambda: _now(watcher.follows_events()), what="change events")
        shutil.rmtree(folder)
        gone = (f"watched folder {folder} is not there: looking for it", True)
        await wait_until(lambda: _now(gone in recorder.said), what="gone, said")
        folder.mkdir()
        back = (f"watched folder {folder} is there: watching it", False)
        await wait_until(lambda: _now(back in recorder.said), what="back, said")
        (folder / "after.torrent").write_text("x")
        await wait_until(lambda: _now(recorder.taken), what="the file taken")
        assert recorder.said.count(gone) == 1
    finally:
        await _stopped(task)
