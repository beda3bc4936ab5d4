"""The rules of the URIs dialog (the text, what it parses to, what a replacement
gives, which downloads can be edited) and of options set on tagged downloads."""

from __future__ import annotations

from aria2_top.model.downloads import Download, Status
from aria2_top.ops.group_options import MIXED, GroupOutcome, merged
from aria2_top.ops.uris import (
    FileUris,
    HeldUris,
    UriEntry,
    parse_uri_text,
    replaced,
    uri_text,
    uris_refusal,
)


def _download(status: Status = Status.PAUSED, **fields: object) -> Download:
    base: dict[str, object] = {"gid": "a1", "status": status, "name": "a.iso"}
    return Download(**(base | {"aria2_status": status.value} | fields))  # type: ignore[arg-type]


ONE = HeldUris(
    _download(Status.ERROR),
    (
        FileUris(
            1,
            "/d/a.iso",
            (UriEntry("http://dead.example/a.iso", "404 Not Found"), UriEntry("ftp://m.example/a")),
        ),
    ),
)
TWO = HeldUris(
    _download(),
    (
        FileUris(1, "/d/x/1.bin", (UriEntry("http://h/1.bin"),)),
        FileUris(2, "/d/x/2.bin", (UriEntry("http://h/2.bin"),)),
    ),
)


def test_the_text_marks_dead_uris_and_parses_back_to_the_same() -> None:
    text = uri_text(ONE)
    assert text.splitlines() == [
        "http://dead.example/a.iso    # dead: 404 Not Found",
        "ftp://m.example/a",
    ]
    assert parse_uri_text(text, ONE) == (
        {1: ["http://dead.example/a.iso", "ftp://m.example/a"]},
        [],
    )


def test_several_files_have_a_header_each() -> None:
    text = uri_text(TWO)
    assert "[1] /d/x/1.bin" in text and "[2] /d/x/2.bin" in text
    edited = text.replace("http://h/2.bin", "http://h/2.bin\nhttps://mirror/2.bin")
    wanted, problems = parse_uri_text(edited, TWO)
    assert problems == []
    assert wanted == {1: ["http://h/1.bin"], 2: ["http://h/2.bin", "https://mirror/2.bin"]}


def test_wrong_lines_are_named_and_nothing_is_sent() -> None:
    text = "magnet:?xt=urn:btih:abc\nhttp://a/b c\nhttp://a/xhttp://b/y\n[9] nope\n"
    _, problems = parse_uri_text(text, ONE)
    assert problems[0].startswith("line 1: ") and "not a URI aria2 fetches" in problems[0]
    assert problems[1] == "line 2: one URI per line (a space in a URI is %20)"
    assert problems[2] == "line 3: two URIs run together: one per line"
    assert problems[3] == "line 4: there is no file [9]"
    assert parse_uri_text("# all gone\n", ONE)[1] == [
        "the file would have no URI left: give at least one"
    ]


def test_a_host_that_moved_is_replaced_in_every_uri() -> None:
    assert replaced(ONE, "dead.example", "alive.example") == {
        1: ["http://alive.example/a.iso", "ftp://m.example/a"]
    }
    assert replaced(TWO, "http://h/", "https://h/") == {
        1: ["https://h/1.bin"],
        2: ["https://h/2.bin"],
    }


def test_which_downloads_have_uris_to_edit() -> None:
    assert uris_refusal(_download(Status.ACTIVE)) is None
    assert uris_refusal(_download(Status.REMOVED)) is None
    assert "from peers" in (uris_refusal(_download(is_torrent=True)) or "")
    assert "complete" in (uris_refusal(_download(Status.COMPLETE)) or "")
    assert "checked" in (uris_refusal(_download(Status.CHECKING)) or "")


def test_options_they_do_not_share_are_mixed() -> None:
    together = merged([{"a": "1", "b": "2"}, {"a": "1", "b": "3"}, {"a": "1"}])
    assert together == {"a": "1", "b": MIXED}


def test_what_setting_on_each_says() -> None:
    outcome = GroupOutcome({"max-tries": "3"}, set_on=["a", "b", "c"])
    assert outcome.message() == "max-tries = 3 set on 3"
    outcome.ignored.append(("d.iso", {"max-tries": "5"}))
    outcome.failed.append("e.iso: gone")
    assert outcome.message() == (
        "max-tries = 3 set on 3 · aria2 ignored it on 1: d.iso (keeps 5) · "
        "failed on 1 download: e.iso: gone"
    )
