"""Which downloads the table shows: the status views and the filter (pure functions).

The filter matches names and GIDs; a ``host:NAME`` word in it keeps the downloads of
the daemons whose name starts with NAME (with several daemons in one view).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum

from aria2_top.model.downloads import RUNNING, Download, Status


class View(Enum):
    """The status views cycled with Tab / 1-6."""

    ALL = ("All", frozenset(Status))
    ACTIVE = ("Active", RUNNING)
    WAITING = ("Waiting", frozenset({Status.WAITING}))
    PAUSED = ("Paused", frozenset({Status.PAUSED}))
    DONE = ("Done", frozenset({Status.COMPLETE, Status.REMOVED}))
    ERRORS = ("Errors", frozenset({Status.ERROR}))

    def __init__(self, label: str, statuses: frozenset[Status]) -> None:
        self.label = label
        self.statuses = statuses

    def next(self, step: int = 1) -> View:
        views = list(View)
        return views[(views.index(self) + step) % len(views)]


def matches(download: Download, needle: str) -> bool:
    """Case-insensitive: every word of ``needle`` is in the name (``debian iso``), or
    ``needle`` starts the GID."""
    return name_test(needle)(download)


def name_test(needle: str) -> Callable[[Download], bool]:
    """:func:`matches` with ``needle`` worked out once, for 100,000 downloads."""
    needle = needle.casefold().strip()
    words = needle.split()
    if len(words) == 1:  # the common case, kept quick
        word = words[0]
        return lambda download: word in download.folded_name or download.gid.startswith(needle)

    def test(download: Download) -> bool:
        name = download.folded_name
        return all(word in name for word in words) or download.gid.startswith(needle)

    return test


HOST_PREFIX = "host:"


def split_filter(text: str) -> tuple[str, tuple[str, ...]]:
    """(the text to match, the ``host:`` names) of a filter."""
    words = text.split()
    hosts = tuple(
        w[len(HOST_PREFIX) :].casefold() for w in words if w.casefold().startswith(HOST_PREFIX)
    )
    if not hosts:
        return text.strip(), ()
    rest = " ".join(w for w in words if not w.casefold().startswith(HOST_PREFIX))
    return rest, hosts


def on_hosts(download: Download, hosts: tuple[str, ...]) -> bool:
    """Whether ``download``'s daemon name starts with one of ``hosts`` (casefolded)."""
    daemon = download.daemon.casefold()
    return any(daemon.startswith(host) for host in hosts)


def matcher(text: str) -> Callable[[Download], bool] | None:
    """The filter ``text`` as a test of one download; None when it filters nothing."""
    needle, hosts = split_filter(text)
    if not needle and not hosts:
        return None

    by_name = name_test(needle) if needle else None
    if not hosts:
        return by_name

    def test(download: Download) -> bool:
        return (by_name is None or by_name(download)) and on_hosts(download, hosts)

    return test


def visible(downloads: Iterable[Download], view: View, text: str = "") -> list[Download]:
    """The downloads of ``view`` matching the filter ``text`` (see the module docstring)."""
    test = matcher(text)
    statuses = view.statuses
    return [d for d in downloads if d.status in statuses and (test is None or test(d))]
