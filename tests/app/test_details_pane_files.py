"""The details pane's files tab on the fake daemon: the Overview's file list at once, a
torrent of many files opening its folders on demand."""

from __future__ import annotations

from pathlib import Path

from aria2_top.ui.widgets.details.files import FilesTab
from tests.support.fake_daemon import FakeDaemon
from tests.support.ui import (
    app_for,
    until,
)


def _torrent_files(paths: list[str]) -> list[dict[str, object]]:
    """A getFiles reply of 1,000-byte files, all selected."""
    return [
        {
            "index": str(n + 1),
            "path": path,
            "length": "1000",
            "completedLength": "0",
            "selected": "true",
            "uris": [],
        }
        for n, path in enumerate(paths)
    ]


async def test_a_torrent_of_many_files_opens_its_folders_on_demand(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    files = _torrent_files([f"/downloads/Big/dir{n // 100}/f{n:04d}.bin" for n in range(300)])
    fake.add("Big", "paused", torrent=True, files=files)
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("enter", "2")
        tab = app.dashboard.details.query_one(FilesTab)
        await until(pilot, lambda: len(tab.entries) == 300, "the files")
        tree = tab.file_tree
        big = tree.root  # lone folders on the way are open, the three below are not
        while len(big.children) == 1:
            big = big.children[0]
        assert len(big.children) == 3 and all(not folder.children for folder in big.children)
        made = len(tab._tree_nodes)
        assert made < 10, "the folders' 300 files are not made yet"
        big.children[1].expand()
        await until(pilot, lambda: len(big.children[1].children) == 100, "dir1's files")
        assert len(tab._tree_nodes) == made + 100


async def test_the_files_tab_shows_the_overviews_file_list_at_once(
    fake: FakeDaemon, tmp_path: Path
) -> None:
    """The Overview's reply lists the files too: 2 shows them before aria2 answers
    the Files tab's own getFiles (slow with 10,000 files), which then follows."""
    files = _torrent_files([f"/downloads/Many/f{n:03d}.bin" for n in range(50)])
    fake.add("Many", "paused", torrent=True, files=files)
    app = app_for(fake, tmp_path, label="fake")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: len(app.dashboard.shown) == 1, "the row")
        await pilot.press("enter")
        details = app.dashboard.details
        await until(pilot, lambda: details.shown is not None, "the Overview")
        tab = details.query_one(FilesTab)
        assert not tab.entries
        details.action_show_tab("files")
        app.dashboard.fetch_details()  # what the tab's Changed message leads to
        assert len(tab.entries) == 50, "shown before the getFiles reply came"
        fake.reset_counters()
        await until(pilot, lambda: "aria2.getFiles" in fake.methods, "its own fetch follows")
