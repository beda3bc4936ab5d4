"""What the dialogs and the empty table say (ui/wording.py): plain, safe text."""

from __future__ import annotations

from aria2_top.live.poll_state import PollState, PollStatus
from aria2_top.model.downloads import Download, Status
from aria2_top.ui import wording


def _download(
    name: str, status: Status = Status.ERROR, code: str = "", daemon: str = ""
) -> Download:
    return Download("0123456789abcdef", status, name, str(status), error_code=code, daemon=daemon)


def test_listed_names_safely_and_counts_the_rest() -> None:
    downloads = [_download(f"file-{n}.bin", Status.PAUSED, daemon="nas") for n in range(10)]
    downloads[0] = _download("evil\x1b[2J.bin", Status.PAUSED, daemon="nas")
    listed = wording.listed(downloads, with_status=True, fleet=True)
    assert len(listed.lines) == wording.MAX_NAMES and listed.more == 2
    assert listed.lines[0] == ("evil\ufffd[2J.bin", "(paused on nas)")
    assert listed.more_line == "… and 2 more"
    alone = wording.listed(downloads[1:2], with_status=True, fleet=False)
    assert alone.lines == (("file-1.bin", "(paused)"),) and alone.more_line == ""
    assert wording.listed(downloads[1:2], with_status=False, fleet=True).lines[0][1] == ""


def test_questions_and_retry_warning() -> None:
    assert wording.remove_question(1) == "Remove 1 download?"
    assert wording.remove_question(3) == "Remove 3 downloads?"
    assert wording.retry_heading(2) == "Retry 2 failed downloads:"
    assert wording.restart_warning([_download("a", code="3")]) == ""
    two = wording.restart_warning([_download("a", code="8"), _download("b", code="8")])
    assert two.startswith("2 of them failed because the server cannot resume")


def test_purge_choices() -> None:
    assert wording.purge_choices(5, 5, "Done", "") == [
        ("all", "All 5 results (finished, failed, removed)")
    ]
    assert wording.purge_choices(5, 0, "Done", "") == [
        ("all", "All 5 results (finished, failed, removed)")
    ]
    view, everything = wording.purge_choices(5, 2, "Errors", "iso\x07")
    assert view == ("view", "The 2 shown here (Errors, filter 'iso\ufffd')")
    assert everything[0] == "all"


def _empty(statuses: list[PollStatus], *, answered: bool) -> str:
    return wording.empty_table(
        statuses, answered=answered, has_downloads=False, view_label="All", filter_text=""
    )


def test_empty_table_says_why() -> None:
    ok = PollStatus(PollState.CONNECTED)
    auth = PollStatus(PollState.AUTH_FAILED, 1.0, "Unauthorized")
    down = PollStatus(PollState.RECONNECTING, 1.0, "cannot reach aria2 at x")
    assert _empty([auth], answered=False) == wording.AUTH_FAILED
    assert _empty([auth, auth], answered=False) == wording.AUTH_FAILED
    assert _empty([down], answered=False) == "No downloads to show yet: cannot reach aria2 at x"
    assert "no daemon answers" in _empty([down, down], answered=False)
    assert _empty([down, ok], answered=False) == "Connecting…"
    assert _empty([ok], answered=True) == wording.NO_DOWNLOADS
    matched = wording.empty_table(
        [ok], answered=True, has_downloads=True, view_label="Errors", filter_text="iso"
    )
    assert matched == "No downloads match this view (Errors) and filter 'iso'."
