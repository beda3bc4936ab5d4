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
            with app.suspend():
                code = subprocess.run([*command, str(path)], check=False).returncode
        except SuspendNotSupported:
            code = subprocess.run(
                [*command, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=EDITOR_DEADLINE,
                check=False,
            ).returncode
        if code != 0:
            return Edited(None, f"the editor ({command[0]}) exited {code}: the text is as it was")
        return Edited(path.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError:
        return Edited(None, f"no editor {command[0]!r}: set $VISUAL or $EDITOR")
    except (OSError, subprocess.SubprocessError) as exc:
        return Edited(None, f"the editor ({command[0]}) could not run: {exc}")
    finally:
        path.unlink(missing_ok=True)
