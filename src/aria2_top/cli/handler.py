"""``aria2-top install-handler [--remove]``: make aria2-top what the desktop opens
magnet links and .torrent files with (``aria2-top add``), by an XDG desktop entry in
``$XDG_DATA_HOME/applications`` registered with ``xdg-mime``.

Only a file that carries our marker line is ever replaced or removed: one of the same
name written by someone else is left alone (``--force`` replaces it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aria2_top.cli.shell import DONE, FAILED, say

VERB = "install-handler"
DESKTOP_NAME = "aria2-top.desktop"
MARKER = "X-aria2-top-handler=1"
"""The line that says we wrote the file (and may replace or remove it)."""
MIME_TYPES = ("x-scheme-handler/magnet", "application/x-bittorrent")
TOOL_SECONDS = 30.0
"""How long xdg-mime or update-desktop-database may take."""

_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
"""Characters that make an Exec argument need quotes (Desktop Entry spec)."""
_ESCAPED_IN_QUOTES = re.compile(r'(["`$\\])')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

ELSEWHERE = {
    "darwin": (
        "on macOS, the app that opens magnet links is set per app bundle: wrap "
        '`aria2-top add "$1"` in an app (Automator, Platypus) and choose it with '
        "`duti -s <bundle id> magnet` or in a torrent's Get Info → Open with"
    ),
    "win32": (
        "on Windows, set HKEY_CURRENT_USER\\Software\\Classes\\magnet\\shell\\open\\command "
        'to  "<path of aria2-top.exe>" add "%1"  (and URL Protocol = "" on '
        "...\\Classes\\magnet), or choose aria2-top in Settings → Default apps"
    ),
}
"""What to do on systems without XDG desktop entries (nothing is written there)."""


def configure_install_handler(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--remove", action="store_true", help="remove the desktop entry this verb wrote"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"replace an {DESKTOP_NAME} that aria2-top did not write",
    )


def applications_dir() -> Path:
    """``$XDG_DATA_HOME/applications`` (a relative XDG_DATA_HOME is ignored, as the
    XDG spec says), else ``~/.local/share/applications``."""
    data_home = Path(os.environ.get("XDG_DATA_HOME", ""))
    base = data_home if data_home.is_absolute() else Path.home() / ".local" / "share"
    return base / "applications"


def own_command() -> list[str]:
    """The absolute command of this very aria2-top: its script, else ``python -m``."""
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and os.sep not in argv0:
        argv0 = shutil.which(argv0) or ""
    script = Path(argv0).resolve() if argv0 else None
    if (
        script is not None
        and script.is_file()
        and script.suffix != ".py"
        and os.access(script, os.X_OK)
    ):
        return [str(script)]
    return [str(Path(sys.executable).absolute()), "-m", "aria2_top"]


def exec_word(word: str) -> str:
    """One argument of an Exec line, quoted as the Desktop Entry spec says (before
    the string escapes of the whole value, see :func:`exec_value`)."""
    if _CONTROL.search(word):
        raise ValueError(f"{word!r} holds a control character")
    word = word.replace("%", "%%")
    if any(char in _RESERVED for char in word):
        word = '"' + _ESCAPED_IN_QUOTES.sub(r"\\\1", word) + '"'
    return word


def exec_value(command: Sequence[str]) -> str:
    """The Exec value that runs ``command add %u`` (a backslash is doubled last: the
    string escape of every value, applied before the quoting)."""
    line = " ".join(exec_word(word) for word in command) + " add %u"
    return line.replace("\\", "\\\\")


def desktop_entry(command: Sequence[str]) -> str:
    """The desktop entry's text."""
    return "\n".join(
        (
            "[Desktop Entry]",
            "Type=Application",
            "Name=aria2-top",
            "Comment=Add magnet links and torrents to aria2",
            f"Exec={exec_value(command)}",
            "Terminal=false",
            "NoDisplay=true",
            f"MimeType={';'.join(MIME_TYPES)};",
            "Categories=Network;FileTransfer;",
            MARKER,
            "",
        )
    )


def is_ours(path: Path) -> bool:
    """Whether the file at ``path`` carries our marker line."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return MARKER in (line.strip() for line in text.splitlines())


def install_handler_main(args: argparse.Namespace) -> int:
    """Write (or with ``--remove`` delete) the desktop entry; say each step."""
    elsewhere = ELSEWHERE.get(sys.platform)
    if elsewhere is not None:
        print(f"aria2-top {VERB}: nothing written: {elsewhere}")
        return DONE
    folder = applications_dir()
    path = folder / DESKTOP_NAME
    try:
        if args.remove:
            return _remove(path)
        return _install(path, force=args.force)
    except OSError as exc:
        say(VERB, f"{exc.filename or path}: {exc.strerror or exc}")
        return FAILED


def _install(path: Path, *, force: bool) -> int:
    if path.exists() and not is_ours(path) and not force:
        say(
            VERB,
            f"{path} exists and aria2-top did not write it: left alone (--force replaces it)",
        )
        return FAILED
    try:
        text = desktop_entry(own_command())
    except ValueError as exc:
        say(VERB, f"cannot write an Exec line for this aria2-top: {exc}")
        return FAILED
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, text)
    print(f"wrote {path}")
    ok = all(
        _run_tool(
            ["xdg-mime", "default", DESKTOP_NAME, mime_type],
            f"{DESKTOP_NAME} as what opens {mime_type}",
            "set",
        )
        for mime_type in MIME_TYPES
    )
    ok = _update_database(path.parent) and ok
    return DONE if ok else FAILED


def _remove(path: Path) -> int:
    if not path.exists():
        print(f"nothing to remove: no {path}")
        return DONE
    if not is_ours(path):
        say(VERB, f"{path} was not written by aria2-top: left alone")
        return FAILED
    path.unlink()
    print(f"removed {path}")
    return DONE if _update_database(path.parent) else FAILED


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once (never a half-written entry), 0644."""
    fd, name = tempfile.mkstemp(prefix=".aria2-top-", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        temporary.chmod(0o644)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _update_database(folder: Path) -> bool:
    return _run_tool(
        ["update-desktop-database", str(folder)], f"the desktop database of {folder}", "updated"
    )


def _run_tool(command: list[str], what: str, verb: str) -> bool:
    """Run a desktop tool if it is installed, and say in one line what came of it
    (``verb what``); False when it ran and failed."""
    tool = command[0]
    if shutil.which(tool) is None:
        print(f"{tool} not found: {what} not {verb}")
        return True
    try:
        ran = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=TOOL_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        say(VERB, f"{tool} did not run: {exc}: {what} not {verb}")
        return False
    if ran.returncode == 0:
        print(f"{verb} {what} ({tool})")
        return True
    why = (ran.stderr or ran.stdout).strip().splitlines()
    said = f": {why[-1]}" if why else ""
    say(VERB, f"{tool} failed (exit {ran.returncode}){said}: {what} not {verb}")
    return False
