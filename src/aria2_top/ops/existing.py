"""Before adding: does a download's target name already exist on this machine?

aria2-top adds every download with ``continue=false`` and ``allow-overwrite=false``
(see :mod:`aria2_top.ops.adding`), so aria2 never writes into such a file: an
HTTP/FTP download is saved under a new name (``report.1.bin``), a torrent stops
with error 13. Still, the user should know before adding, so the Add dialog and
``aria2-top add`` say so — for a daemon on this machine, where the folder can be
looked at.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aria2_top.model import fields
from aria2_top.model.bencode import BencodeError, torrent_name
from aria2_top.model.downloads import uri_name
from aria2_top.model.format import safe_text
from aria2_top.ops.add_input import AddItem
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.wire import is_loopback_url


def target_names(item: AddItem, options: dict[str, str]) -> list[str]:
    """The file or folder names ``item`` will create in its folder (what is known
    before adding: nothing for a magnet without ``dn=``)."""
    out = item.options.get("out") or options.get("out")
    if item.kind == "torrent":
        try:
            names = [torrent_name(item.data)]
        except BencodeError:
            names = []
    elif item.kind == "metalink":
        names = _metalink_names(item.data)
    elif out:
        names = [out]
    elif item.uris[0].lower().startswith("magnet:"):
        names = parse_qs(urlsplit(item.uris[0]).query).get("dn", [])[:1]
    else:
        name = uri_name(item.uris[0])
        names = ["index.html" if "://" in name else name]
    return [name for name in names if _plain_name(name)]


def _plain_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return bool(name) and not any(part in ("", ".", "..") for part in parts)


def _metalink_names(data: bytes) -> list[str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return []
    return [
        str(element.get("name"))
        for element in root.iter()
        if element.tag.rpartition("}")[2] == "file" and element.get("name")
    ]


def existing_targets(
    items: Sequence[AddItem], options: dict[str, str], default_folder: str
) -> list[Path]:
    """The paths of this machine that the items' names would take and that exist
    (none when the daemon's folder is not on this machine)."""
    found: list[Path] = []
    if not default_folder or not Path(default_folder).is_dir():
        return found
    for item in items:
        folder = Path(item.options.get("dir") or options.get("dir") or default_folder)
        for name in target_names(item, options):
            path = folder.expanduser() / posixpath.normpath(name)
            if path.exists() and path not in found:
                found.append(path)
    return found


def warning_lines(paths: Sequence[Path]) -> list[str]:
    """What to tell the user about ``paths``, one line each (at most 5 and a count)."""
    lines = [_warning(path) for path in paths[:5]]
    if len(paths) > 5:
        lines.append(f"… and {len(paths) - 5} more existing names")
    return lines


def _warning(path: Path) -> str:
    shown = safe_text(str(path))
    if path.with_name(path.name + ".aria2").exists():
        # A control file beside it: aria2 resumes into the file, it does not rename.
        return (
            f"{shown} is a download not finished: aria2 will go on with it (its .aria2 "
            "file is there)"
        )
    return (
        f"{shown} already exists: aria2 will not write into it (a new download gets "
        "a new name such as name.1.ext; a torrent stops with error 13)"
    )


async def existing_on_local_daemon(
    client: Aria2Client, items: Sequence[AddItem], options: dict[str, str]
) -> list[str]:
    """:func:`warning_lines` for a daemon on this machine; nothing for a remote one
    (its folders are not ours to look at)."""
    if not is_loopback_url(client.url):
        return []
    folder = fields.text((await client.get_global_option()).get("dir")) or ""
    return warning_lines(existing_targets(items, options, folder))
