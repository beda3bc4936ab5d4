"""The .torrent aria2 saved for a download: found by content, named after the SHA-1 of
its bytes, and deleted or moved with the download only when no other download uses it
(model/saved_metadata.py; ops/saved_torrents.py and ops/local_files.py on real files)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aria2_top.model.bencode import bencode, info_hash
from aria2_top.model.ownership import Claims
from aria2_top.model.saved_metadata import Holding, hash_holders, saved_by_aria2, why_it_stays
from aria2_top.ops.local_files import DeletionPlan, delete, with_saved
from aria2_top.ops.saved_torrents import carried_along, saved_files

GID = "0123456789abcdef"
OTHER = "fedcba9876543210"


def _torrent(name: str = "movie.mkv", comment: bytes = b"") -> bytes:
    info = {b"name": name.encode(), b"length": 5, b"piece length": 16384, b"pieces": b"p" * 20}
    return bencode({b"info": info, b"comment": comment})


def _saved_name(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest() + ".torrent"


def _save(folder: Path, data: bytes) -> Path:
    path = folder / _saved_name(data)
    path.write_bytes(data)
    return path


def _claims(folder: Path, hash_: str) -> Claims:
    return Claims(GID, "complete", str(folder), (), None, True, "", 0, 0, "", hash_)


def _plan(folder: Path) -> DeletionPlan:
    return DeletionPlan(folder.resolve(), ())


def test_only_a_file_named_after_the_sha1_of_its_bytes_is_arias() -> None:
    data = _torrent()
    wanted = info_hash(data)
    assert saved_by_aria2(_saved_name(data), data, wanted)
    assert saved_by_aria2(_saved_name(data), data, wanted.upper())
    assert not saved_by_aria2("movie.torrent", data, wanted), "the user's own name"
    assert not saved_by_aria2(f"{wanted}.torrent", data, wanted), "named by info hash"
    assert not saved_by_aria2(_saved_name(data).upper(), data, wanted)
    other = _torrent("other.mkv")
    assert not saved_by_aria2(_saved_name(other), other, wanted), "another torrent"
    assert not saved_by_aria2(_saved_name(b"junk"), b"junk", wanted), "not a torrent"


def test_every_other_download_of_the_torrent_uses_it_in_any_state() -> None:
    structs = [
        {"gid": GID, "infoHash": "AA" * 20, "status": "active"},
        {"gid": OTHER, "infoHash": "AA" * 20, "status": "complete"},
        {"gid": "1111111111111111", "status": "complete"},  # not a torrent
        {"gid": "not a gid", "infoHash": "bb" * 20},
    ]
    found = hash_holders(structs, {OTHER: "Movie (again)"}, exclude={GID})
    assert found == {"aa" * 20: ["Movie (again)"]}
    assert hash_holders(structs, {}, exclude={GID, OTHER}) == {}
    holding = Holding(hashes=found)
    assert why_it_stays("AA" * 20, holding) == "Movie (again) (the same torrent) uses it too"
    assert (
        why_it_stays("aa" * 20, Holding(), ["a.torrent (http)"]) == "a.torrent (http) holds it too"
    )
    assert why_it_stays("cc" * 20, holding) == ""


def test_holdings_of_daemons_add_up() -> None:
    mine = Holding({"/a": ["one"]}, {"aa": ["x"]})
    mine.add(Holding({"/a": ["two"], "/b": ["three"]}, {"aa": ["y on nas"]}))
    assert mine.paths == {"/a": ["one", "two"], "/b": ["three"]}
    assert mine.hashes == {"aa": ["x", "y on nas"]}


def test_found_by_content_never_a_link_or_the_users_file(tmp_path: Path) -> None:
    data = _torrent()
    saved = _save(tmp_path, data)
    (tmp_path / "movie.torrent").write_bytes(data)  # the user's copy: same bytes, own name
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = _torrent("linked.mkv")
    target = _save(elsewhere, other)
    (tmp_path / target.name).symlink_to(target)  # a link to a saved one: not followed
    assert [p for p, _ in saved_files(str(tmp_path), info_hash(data))] == [saved.resolve()]
    assert saved_files(str(tmp_path), info_hash(other)) == []
    assert saved_files(str(tmp_path / "missing"), info_hash(data)) == []


def test_d_deletes_it_only_when_no_other_download_uses_it(tmp_path: Path) -> None:
    data = _torrent()
    hash_ = info_hash(data)
    saved = _save(tmp_path, data)
    claims = _claims(tmp_path, hash_)
    used = with_saved(_plan(tmp_path), claims, Holding(hashes={hash_: ["Movie (2)"]}), set())
    assert used.files == () and [(k.path, k.reason) for k in used.kept] == [
        (saved.name, "Movie (2) (the same torrent) uses it too")
    ]
    held = Holding(paths={str(saved): ["saved.torrent (http)"]})
    assert with_saved(_plan(tmp_path), claims, held, set()).files == ()
    taken: set[Path] = set()
    plan = with_saved(_plan(tmp_path), claims, Holding(), taken)
    assert plan.files == (saved.resolve(),) and plan.length == len(data) and not plan.kept
    again = with_saved(_plan(tmp_path), claims, Holding(), taken)
    assert again.files == (), "a second target of the same torrent does not count it twice"
    assert with_saved(_plan(tmp_path), _claims(tmp_path, ""), Holding(), set()).files == ()
    assert delete(plan).deleted == [saved.name]
    assert not saved.exists()


def test_d_leaves_a_saved_file_swapped_after_the_plan(tmp_path: Path) -> None:
    data = _torrent()
    saved = _save(tmp_path, data)
    plan = with_saved(_plan(tmp_path), _claims(tmp_path, info_hash(data)), Holding(), set())
    again = tmp_path / "again.tmp"
    again.write_bytes(data)
    again.replace(saved)  # the same bytes, another file (as aria2 saves it again)
    done = delete(plan)
    assert done.files == 0 and "changed since it was looked at" in done.errors[0]
    assert saved.exists()


def test_m_carries_it_unless_used_or_taken_at_the_target(tmp_path: Path) -> None:
    data = _torrent()
    hash_ = info_hash(data)
    folder, target = tmp_path / "from", tmp_path / "to"
    folder.mkdir()
    target.mkdir()
    saved = _save(folder, data)
    moving, staying = carried_along(str(folder), hash_, Holding(), str(target))
    assert (moving, staying) == ([str(saved.resolve())], [])
    moving, staying = carried_along(
        str(folder), hash_, Holding(hashes={hash_: ["Movie (2)"]}), str(target)
    )
    assert moving == [] and staying == [
        f"its saved {saved.name} stays: Movie (2) (the same torrent) uses it too"
    ]
    (target / saved.name).write_bytes(b"already here")
    moving, staying = carried_along(str(folder), hash_, Holding(), str(target))
    assert moving == [] and "exists" in staying[0]
