"""What the user typed into Add (or gave ``aria2-top add``), checked line by line.

One download per line, as in aria2's input files:

* several URIs on one line, separated by white space, are mirrors of one file;
* a ``magnet:`` link stands alone on its line;
* a local path to a ``.torrent``, ``.metalink`` or ``.meta4`` file is read here and
  uploaded, so it works with a remote daemon too;
* indented ``name=value`` lines below a download are its options.

Nothing is sent until every line is good: :func:`parse_add_text` returns the items
and, separately, every problem with its line number.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from aria2_top.model.bencode import BencodeError, torrent_name
from aria2_top.model.format import safe_text, size

SCHEMES = ("http", "https", "ftp", "sftp", "magnet")
MAX_FILE_BYTES = 64 * 2**20
"""Largest .torrent/.metalink read: the private daemon's rpc-max-request-size."""
FILE_KINDS = {".torrent": "torrent", ".metalink": "metalink", ".meta4": "metalink"}

Kind = Literal["uris", "torrent", "metalink"]


@dataclass(slots=True)
class AddItem:
    """One download to add, from line ``line`` of the text."""

    line: int
    kind: Kind
    uris: list[str] = field(default_factory=list)
    path: Path | None = None
    data: bytes = b""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the item is named in messages."""
        return str(self.path) if self.path else self.uris[0]


@dataclass(frozen=True, slots=True)
class LineProblem:
    """What is wrong with line ``line`` (1-based), in words."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _looks_like_path(token: str) -> bool:
    return (
        token.startswith(("/", "~", "./", "../", "\\"))
        or (len(token) > 2 and token[1] == ":")  # C:\... on Windows
        or Path(token).suffix.lower() in FILE_KINDS
    ) and "://" not in token


def _read_file(token: str, line: int) -> AddItem | LineProblem:
    path = Path(token).expanduser()
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind is None:
        return LineProblem(line, f"{safe_text(token)} is not a .torrent, .metalink or .meta4 file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return LineProblem(line, f"no such file: {safe_text(str(path))}")
    except OSError as exc:
        return LineProblem(line, f"cannot read {safe_text(str(path))}: {exc.strerror}")
    if len(data) > MAX_FILE_BYTES:
        return LineProblem(line, f"{safe_text(path.name)} is larger than {size(MAX_FILE_BYTES)}")
    try:
        if kind == "torrent":
            torrent_name(data)
        else:
            root = ET.fromstring(data)
            if not root.tag.endswith("metalink"):
                raise ValueError("no metalink element")
    except (BencodeError, ET.ParseError, ValueError) as exc:
        return LineProblem(
            line, f"{safe_text(path.name)} is not a valid {path.suffix} file ({exc})"
        )
    return AddItem(line, "torrent" if kind == "torrent" else "metalink", path=path, data=data)


def file_item(path: Path) -> AddItem | LineProblem:
    """The download of one ``.torrent``, ``.metalink`` or ``.meta4`` file (a watched
    folder's), read and checked as Add reads a path typed on its line."""
    return _read_file(str(path), 1)


def _uri_problem(uri: str) -> str | None:
    scheme = urlsplit(uri).scheme.lower()
    if not scheme:
        return f"{safe_text(uri)} is neither a URI nor a .torrent/.metalink file"
    if scheme not in SCHEMES:
        return f"unknown scheme {safe_text(scheme)!r} (use {', '.join(SCHEMES)})"
    if scheme == "magnet" and "xt=urn:" not in uri:
        return "a magnet link needs an xt=urn:btih:… part"
    if scheme != "magnet" and not urlsplit(uri).netloc:
        return f"{safe_text(uri)} has no host"
    return None


def local_path(text: str) -> str:
    """A ``file:`` URI of this machine (what a desktop may hand its handler of
    .torrent files) as the path it names; any other text as it is."""
    if text.lower().startswith("file://"):
        parts = urlsplit(text)
        if parts.netloc.lower() in ("", "localhost"):
            return url2pathname(parts.path)
    return text


def parse_line(text: str, line: int) -> AddItem | LineProblem:
    """One download line (not an option line). A whole line that names a file (its
    name may hold spaces) is that file."""
    tokens = text.split()
    whole = local_path(text.strip())
    if (len(tokens) == 1 or Path(whole).expanduser().is_file()) and _looks_like_path(whole):
        return _read_file(whole, line)
    for token in tokens:
        problem = _uri_problem(token)
        if problem:
            return LineProblem(line, problem)
    if len(tokens) > 1 and any(t.lower().startswith("magnet:") for t in tokens):
        return LineProblem(line, "a magnet link must be alone on its line")
    return AddItem(line, "uris", uris=tokens)


def parse_add_text(text: str) -> tuple[list[AddItem], list[LineProblem]]:
    """Every download in ``text`` and every problem found, by line."""
    items: list[AddItem] = []
    problems: list[LineProblem] = []
    current: AddItem | None = None
    # Only line breaks the user sees count (not U+2028, form feeds… as splitlines).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0] in " \t":
            name, sep, value = raw.strip().partition("=")
            if not sep or not name.strip():
                problems.append(LineProblem(number, "an indented line must be option=value"))
            elif current is None:
                problems.append(LineProblem(number, "an option line needs a download above it"))
            else:
                current.options[name.strip()] = value.strip()
            continue
        parsed = parse_line(raw, number)
        if isinstance(parsed, LineProblem):
            problems.append(parsed)
            current = AddItem(number, "uris")  # swallows its option lines, never added
        else:
            items.append(parsed)
            current = parsed
    if not items and not problems:
        problems.append(LineProblem(1, "nothing to add: give a URI, a magnet link or a file"))
    return items, problems


def common_options(
    items: list[AddItem], *, folder: str = "", out: str = "", paused: bool = False
) -> tuple[dict[str, str], list[LineProblem]]:
    """The options every item of one Add gets (folder, file name, paused), and the
    problem of a file name given for anything but a single URI download."""
    problems = []
    if out and (len(items) != 1 or items[0].kind != "uris"):
        problems.append(LineProblem(1, "a file name (--out) fits only one URI download"))
    options = {"dir": folder.strip(), "out": out.strip(), "pause": "true" if paused else ""}
    return {name: value for name, value in options.items() if value}, problems
