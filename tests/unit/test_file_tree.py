"""A download's files as a tree: parsing aria2's file list, folder sums, odd paths, and
the select-file value (model/file_tree.py)."""

from __future__ import annotations

import pytest

from aria2_top.model.file_tree import (
    FileEntry,
    build_tree,
    parse_files,
    relative_path,
    select_file_value,
    toggled,
)


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ([], ""),
        ([7], "7"),
        ([1, 2, 3, 7], "1-3,7"),
        ([7, 3, 1, 2, 3, 2], "1-3,7"),  # order and duplicates do not matter
        ({1, 3, 5}, "1,3,5"),
        ([4, 5], "4-5"),
        ([1, 2, 4, 5, 6, 9, 10], "1-2,4-6,9-10"),
        (range(1, 10_001), "1-10000"),
        ([2**40, 2**40 + 1], f"{2**40}-{2**40 + 1}"),
    ],
)
def test_select_file_value(selected: list[int], expected: str) -> None:
    assert select_file_value(selected) == expected


def test_toggled() -> None:
    assert toggled({1, 2, 3}, frozenset({2, 3})) == {1}
    assert toggled({1, 2}, frozenset({2, 3})) == {1, 2, 3}
    assert toggled(set(), frozenset({4})) == {4}
    assert toggled({1}, frozenset()) == {1}


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("/dl/a/b.iso", "/dl", "a/b.iso"),
        ("/dl/a/b.iso", "/dl/", "a/b.iso"),
        ("/dlx/a.iso", "/dl", "dlx/a.iso"),  # a sibling folder with the same prefix
        ("C:\\dl\\sub\\a.iso", "C:\\dl", "sub/a.iso"),
        ("/else/a.iso", "", "else/a.iso"),
        ("a.iso", "/dl", "a.iso"),
        ("/dl/日本/ü.iso", "/dl", "日本/ü.iso"),
    ],
)
def test_relative_path(path: str, base: str, expected: str) -> None:
    assert relative_path(path, base) == expected


def test_parse_files_keeps_usable_entries() -> None:
    reply = [
        {"index": "1", "path": "/dl/t/a.bin", "length": "100", "completedLength": "25"},
        {"index": "2", "path": "/dl/t/b.bin", "length": "x", "completedLength": "-1"},
        {"index": "0", "path": "/dl/zero"},  # aria2 counts from 1
        {"path": "/dl/no-index"},
        {"index": "3", "path": "", "uris": [{"uri": "http://h/d/c%20d.iso?k=v"}]},
        {"index": "4", "path": "", "uris": []},
        {"index": "5", "path": "/dl/t/e", "selected": "true", "length": "0"},
        "not a struct",
    ]
    entries = parse_files(reply, "/dl")
    assert entries == [
        FileEntry(1, "t/a.bin", 100, 25, False),
        FileEntry(2, "t/b.bin", 0, 0, False),
        FileEntry(3, "c d.iso", 0, 0, False),
        FileEntry(4, "?", 0, 0, False),
        FileEntry(5, "t/e", 0, 0, True),
    ]
    assert entries[0].progress == 0.25 and entries[4].progress == 0.0
    assert parse_files("not a list", "/dl") == [] and parse_files(None, "/dl") == []


def test_build_tree_sums_folders() -> None:
    entries = [
        FileEntry(1, "album/cd1/01.flac", 100, 100, True),
        FileEntry(2, "album/cd1/02.flac", 50, 0, True),
        FileEntry(3, "album/cover.jpg", 10, 5, False),
        FileEntry(4, "readme.txt", 1, 1, True),
        FileEntry(5, "album", 7, 0, True),  # a file named like a folder beside it
    ]
    root = build_tree(entries)
    assert (root.length, root.completed, root.indices) == (168, 106, frozenset({1, 2, 3, 4, 5}))
    album = root.children["album"]
    assert (album.entry, album.path, album.length, album.completed) == (None, "album", 160, 105)
    assert album.indices == frozenset({1, 2, 3})
    cd1 = album.children["cd1"]
    assert (cd1.path, cd1.length, cd1.completed, cd1.indices) == (
        "album/cd1",
        150,
        100,
        frozenset({1, 2}),
    )
    assert sorted(child.name for child in cd1.children.values()) == ["01.flac", "02.flac"]
    files = [child for child in root.children.values() if child.entry is not None]
    assert sorted((f.name, f.length) for f in files) == [("album", 7), ("readme.txt", 1)]


def test_build_tree_odd_paths() -> None:
    root = build_tree([FileEntry(1, "", 3, 1, True), FileEntry(2, "a//b/", 4, 4, True)])
    names = {child.name: child for child in root.children.values()}
    assert set(names) == {"?", "a"}
    assert names["?"].entry == FileEntry(1, "", 3, 1, True)
    assert [child.name for child in names["a"].children.values()] == ["b"]
    assert (root.length, root.completed) == (7, 5)
    empty = build_tree([])
    assert (empty.children, empty.length, empty.indices) == ({}, 0, frozenset())
