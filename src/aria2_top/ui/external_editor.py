"""``Ctrl+E`` where text is long: ``$VISUAL`` or ``$EDITOR`` (else ``vi``) on a
temporary file (0600, removed after), the app suspended while it runs; the edited
text comes back, or one line says why not."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, SuspendNotSupported
from textual.widgets import TextArea

from aria2_top.ui.focus import focus_now

EDITOR_DEADLINE = 24 * 3600.0
"""An editor the terminal cannot be handed to (a browser session) runs without it:
it is stopped after this long."""


@dataclass(frozen=True, slots=True)
class Edited:
    text: str | None
    """The edited text (None: the editor did not give one back)."""
    problem: str = ""


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi``, as words (``code --wait`` works)."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                words = [value]
            if words:
                return words
    return ["vi"]


def edit_text(app: App[object], text: str, suffix: str = ".txt") -> Edited:
    """Run the editor on ``text``, the app suspended meanwhile (the call blocks until
    the editor ends, as a terminal handed over does)."""
    command = editor_command()
    fd, name = tempfile.mkstemp(prefix="aria2-top-", suffix=suffix)  # 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            code = _run([*command, str(path)], app)
        except FileNotFoundError:
            return Edited(None, f"no editor {command[0]!r}: set $VISUAL or $EDITOR")
        if code != 0:
            return Edited(None, f"the editor ({command[0]}) exited {code}: the text is as it was")
        return Edited(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, subprocess.SubprocessError) as exc:
        return Edited(None, f"the editor ({command[0]}) could not run: {exc}")
    finally:
        path.unlink(missing_ok=True)


def _run(argv: list[str], app: App[object]) -> int:
    """The editor's exit status: on the terminal, the app suspended; where the
    terminal cannot be handed over, without one (and a deadline)."""
    try:
        with app.suspend():
            return subprocess.run(argv, check=False).returncode
    except SuspendNotSupported:
        return subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=EDITOR_DEADLINE,
            check=False,
        ).returncode


def edit_area(app: App[object], area: TextArea, suffix: str) -> str | None:
    """Ctrl+E on a text box: its text in the editor, and back in the box (focused);
    the problem in words when the editor gave nothing back (the text stays)."""
    edited = edit_text(app, area.text, suffix)
    if edited.text is None:
        return edited.problem
    area.load_text(edited.text)
    focus_now(area)
    return None
