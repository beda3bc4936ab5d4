"""Watched folders (``watch`` in the config): which files are taken, when one is
ready, how it is added and what it is renamed to.

Every ``.torrent``, ``.metalink``/``.meta4``, ``.magnet`` (a file holding magnet
links) and ``.uris`` (Add's text: URIs per line, indented ``option=value`` lines)
dropped in a watched folder is added once, by the code Add uses
(:func:`~aria2_top.ops.adding.add_all`), then renamed ``NAME.added``; one that cannot
be added is renamed ``NAME.invalid``, and why is said. Other files (``.part``,
``.added``, ``.invalid``, hidden files…) are left alone.

Once only: a good file is first renamed ``NAME.adding`` (a claim: of two aria2-tops
watching one folder only one can rename it, and a file that cannot be renamed is not
added at all), then added, then renamed ``NAME.added``. A name already there is never
replaced: ``NAME.2.added``, ``NAME.3.added``… A file still being written is waited
for: it is taken when it is not empty and its size and modification time were the
same at two looks at least :data:`SETTLE_SECONDS` apart (:class:`Settling`). A torrent
or magnet link the daemon already holds is not sent (aria2 would take it, then fail it
with "InfoHash … is already registered"): it is invalid, with the GID that holds it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aria2_top.live.listing import every_download
from aria2_top.model import fields
from aria2_top.model.bencode import BencodeError, info_hash
from aria2_top.model.format import plural, size
from aria2_top.ops.add_input import FILE_KINDS, AddItem, LineProblem, file_item, parse_add_text
from aria2_top.ops.adding import add_all
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import (
    Aria2Error,
    Aria2RequestTooLargeError,
    Aria2TimeoutError,
)

WATCHED_SUFFIXES = (".torrent", ".metalink", ".meta4", ".magnet", ".uris")
"""The files a watched folder adds (any case)."""
ADDED, INVALID, ADDING = ".added", ".invalid", ".adding"
SETTLE_SECONDS = 2.0
"""Seconds a file's size and modification time must stay the same before it is taken."""
MAX_TEXT_BYTES = 2**20
"""Largest ``.magnet`` or ``.uris`` file read."""
MAX_SAID_PROBLEMS = 3
"""Problems of one file said (then a count)."""


def is_watched(name: str) -> bool:
    """Whether a file named ``name`` is one a watched folder adds."""
    return not name.startswith(".") and name.lower().endswith(WATCHED_SUFFIXES)


def free_name(name: str, suffix: str, taken: Callable[[str], bool]) -> str:
    """``name`` + ``suffix``, or when ``taken`` says that is there, ``name.2`` +
    ``suffix``, ``name.3`` + ``suffix``…: a file already there is never replaced."""
    candidate, number = name + suffix, 2
    while taken(candidate):
        candidate, number = f"{name}.{number}{suffix}", number + 1
    return candidate


@dataclass(frozen=True, slots=True)
class FileLook:
    """One watched file as seen at one look."""

    path: Path
    size: int
    mtime_ns: int


class Settling:
    """Which files are ready to be taken (pure: the looks and the clock are given).

    A file is ready when it is not empty and it had the same size and modification
    time at a look at least :attr:`settle` seconds before this one."""

    def __init__(self, settle: float = SETTLE_SECONDS) -> None:
        self.settle = settle
        self._first: dict[Path, tuple[int, int, float]] = {}
        """Each file's size and mtime, and when they were first seen so."""

    def ready(self, look: FileLook, now: float) -> bool:
        seen = self._first.get(look.path)
        if seen is None or seen[:2] != (look.size, look.mtime_ns):
            self._first[look.path] = (look.size, look.mtime_ns, now)
            return False
        return look.size > 0 and now - seen[2] >= self.settle

    def seen(self, path: Path) -> bool:
        """Whether ``path`` was seen (and is waited for, or not taken yet)."""
        return path in self._first

    def waited(self) -> list[Path]:
        """The files seen and not taken yet, by name."""
        return sorted(self._first, key=lambda path: path.name)

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Forget the files no longer there."""
        kept = set(paths)
        self._first = {path: seen for path, seen in self._first.items() if path in kept}

    def forget(self, path: Path) -> None:
        self._first.pop(path, None)

    def next_ready(self, now: float) -> float | None:
        """Seconds until a file waited for may be ready (None: none is waited for)."""
        waits = [
            at + self.settle - now
            for size, _, at in self._first.values()
            if size > 0 and at + self.settle > now
        ]
        return max(0.0, min(waits)) if waits else None


def folder_looks(folder: Path) -> list[FileLook]:
    """The watched files of ``folder`` (regular files, by name); raises OSError when
    the folder cannot be read."""
    looks = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not is_watched(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue  # gone meanwhile
            looks.append(FileLook(Path(entry.path), stat.st_size, stat.st_mtime_ns))
    return sorted(looks, key=lambda look: look.path.name)


def read_watched(path: Path) -> list[AddItem] | str:
    """The downloads a watched file holds, or why it holds none, in words."""
    suffix = path.suffix.lower()
    if suffix in FILE_KINDS:
        item = file_item(path)
        return item.message if isinstance(item, LineProblem) else [item]
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    if len(data) > MAX_TEXT_BYTES:
        return f"larger than {size(MAX_TEXT_BYTES)}"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {exc.start + 1} cannot be read)"
    items, problems = parse_add_text(text)
    if problems:
        return problem_words(problems)
    if suffix == ".magnet":
        for item in items:
            if not all(uri.lower().startswith("magnet:") for uri in item.uris):
                return f"line {item.line}: a .magnet file holds magnet links only"
    return items


def problem_words(problems: Sequence[LineProblem]) -> str:
    """The first problems of a file, and how many more."""
    said = "; ".join(str(problem) for problem in problems[:MAX_SAID_PROBLEMS])
    more = len(problems) - MAX_SAID_PROBLEMS
    return said + (f"; and {plural(more, 'more problem')}" if more > 0 else "")


def magnet_hash(uri: str) -> str | None:
    """The info hash (lower-case hex) of a magnet link, if it has a BitTorrent one."""
    for value in parse_qs(urlsplit(uri).query).get("xt", []):
        if not value.lower().startswith("urn:btih:"):
            continue
        digest = value[len("urn:btih:") :]
        if len(digest) == 40 and all(c in "0123456789abcdefABCDEF" for c in digest):
            return digest.lower()
        if len(digest) == 32:
            try:
                return base64.b32decode(digest.upper()).hex()
            except binascii.Error:
                return None
    return None


def hashes_of(items: Iterable[AddItem]) -> set[str]:
    """The info hashes of the torrents and magnet links among ``items``."""
    found: set[str] = set()
    for item in items:
        if item.kind == "torrent":
            try:
                found.add(info_hash(item.data))
            except BencodeError:
                continue
        for uri in item.uris:
            if (digest := magnet_hash(uri)) is not None:
                found.add(digest)
    return found


async def already_held(client: Aria2Client, items: Sequence[AddItem]) -> str | None:
    """Why ``items`` must not be sent when the daemon holds one of their torrents
    (running or waiting); None otherwise. Also proves the daemon answers before a
    file is claimed (raises :class:`Aria2Error` when it does not)."""
    hashes = hashes_of(items)
    if not hashes:
        await client.call("aria2.getVersion")
        return None
    listing = await every_download(client, ["gid", "infoHash"])
    for struct in (*listing.active, *listing.waiting):
        if (fields.text(struct.get("infoHash"), 64) or "").lower() in hashes:
            gid = fields.text(struct.get("gid"), 16) or "?"
            return f"the daemon already has this torrent (GID {gid})"
    return None


@dataclass(frozen=True, slots=True)
class Taken:
    """What became of one watched file."""

    name: str
    """Its name as dropped."""
    gids: tuple[str, ...] = ()
    problem: str = ""
    """Why it was not added ("": it was)."""
    now: Path | None = None
    """Where it is now (None: another took it first)."""
    rename_problem: str = ""
    """A rename that failed, in words."""

    @property
    def added(self) -> bool:
        return bool(self.gids)

    def words(self) -> str:
        """One line for the event log."""
        if self.now is None:
            return f"{self.name}: taken by someone else meanwhile"
        if self.added:
            said = f"added {self.name} ({plural(len(self.gids), 'download')})"
        elif self.problem:
            said = f"{self.name} is invalid: {self.problem}"
        else:
            said = f"{self.name}: not added"
        if self.rename_problem:
            said += f"; {self.rename_problem}"
        elif self.now.name != self.name:
            said += f", now {self.now.name}"
        return said


def rename(path: Path, name: str, suffix: str) -> Path:
    """``path`` renamed ``name`` + ``suffix`` in its folder (a free name); OSError when
    it cannot be."""
    folder = path.parent
    target = folder / free_name(name, suffix, lambda n: (folder / n).exists())
    path.rename(target)
    return target


def _finish(path: Path, name: str, gids: Sequence[str], problem: str) -> Taken:
    """Rename a file handled to ``.added`` or ``.invalid`` (a failed rename is said)."""
    suffix = INVALID if problem else ADDED
    try:
        return Taken(name, tuple(gids), problem, rename(path, name, suffix))
    except OSError as exc:
        why = f"could not rename it {name}{suffix} ({exc.strerror}): it stays {path.name}"
        if path.name == name:
            why += ", left alone until it changes"
        return Taken(name, tuple(gids), problem, path, why)


async def take(client: Aria2Client, look: FileLook) -> Taken:
    """Add one watched file, then rename it (see the module docstring).

    Raises :class:`Aria2Error` when the daemon cannot be asked: the file is then
    where it was, and is tried again later."""
    path, name = look.path, look.path.name
    items = read_watched(path)
    if isinstance(items, str):
        return _finish(path, name, (), items)
    held = await already_held(client, items)
    if held:
        return _finish(path, name, (), held)
    try:
        claimed = rename(path, name, ADDING)
    except FileNotFoundError:
        return Taken(name)
    except OSError as exc:
        why = f"cannot rename it ({exc.strerror}): not added, left alone until it changes"
        return Taken(name, now=path, rename_problem=why)
    try:
        outcome = await add_all(client, items)
    except Aria2RequestTooLargeError as exc:
        return _finish(claimed, name, (), str(exc))
    except Aria2TimeoutError as exc:
        # It may have been added: never twice, so it is not put back.
        why = f"{exc}: it may have been added (look before dropping it again)"
        return _finish(claimed, name, (), why)
    except Aria2Error:
        _put_back(claimed, path)
        raise
    if outcome.problems:
        single = len(items) == 1 and path.suffix.lower() != ".uris"
        if single:
            return _finish(claimed, name, (), outcome.problems[0].message)
        return _finish(claimed, name, (), problem_words(outcome.problems))
    return _finish(claimed, name, outcome.gids, "")


def _put_back(claimed: Path, path: Path) -> None:
    """Give a claimed file its name again (nothing was added); if that fails it stays
    ``NAME.adding``, which is never added."""
    if not path.exists():
        with contextlib.suppress(OSError):
            claimed.rename(path)
