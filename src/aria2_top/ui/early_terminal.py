"""The terminal before the app is up: the first rows drawn on the alternate screen,
typed keys held for the app, and the terminal handed to Textual as it was.

:meth:`EarlyTerminal.open` turns echo and line editing off (keys typed now wait,
unechoed, in the terminal's input queue: the app reads them once it runs, in the
order typed) and keeps the terminal's settings as they were. Textual's driver then
takes over (:meth:`EarlyTerminal.hand_over`): it must not switch to the alternate
screen again (that would blank it, and make the terminal restore the wrong cursor
at the end) and must give back the settings from before the first rows, not the
quiet ones. If the app never takes over (no daemon after all, an error),
:meth:`EarlyTerminal.close` puts everything back. Ctrl+C still interrupts meanwhile.

POSIX terminals only, the very ones Textual's Linux driver draws on (input from
stdin, output to stderr); no Textual here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"
"""The alternate screen, cursor hidden, cleared."""
LEAVE = "\x1b[?25h\x1b[?1049l"
"""The cursor shown again, back to the shell's screen."""
BOLD, NORMAL = "\x1b[1m", "\x1b[22m"


class EarlyTerminal:
    """The terminal from the first rows until the app takes it."""

    def __init__(self, fd: int, saved: list[Any]) -> None:
        self._fd = fd
        self._saved = saved
        self._drawn = False
        self._app_drawn: Callable[[], None] | None = None
        self.handed_over = False

    @classmethod
    def open(cls) -> EarlyTerminal | None:
        """Echo and line editing off, or None when this is no terminal Textual's Linux
        driver would draw on (or another driver is asked for)."""
        if os.name != "posix" or os.environ.get("TEXTUAL_DRIVER"):
            return None
        stdin, stderr = sys.__stdin__, sys.__stderr__
        if stdin is None or stderr is None or not (stdin.isatty() and stderr.isatty()):
            return None
        import termios  # noqa: PLC0415 - POSIX only

        fd = stdin.fileno()
        try:
            saved = termios.tcgetattr(fd)
            quiet = termios.tcgetattr(fd)
            quiet[3] &= ~(termios.ECHO | termios.ICANON)  # lflag
            quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
        except termios.error:
            return None
        return cls(fd, saved)

    def size(self) -> tuple[int, int]:
        """(columns, lines) of the terminal."""
        size = os.get_terminal_size(self._fd)
        return size.columns, size.lines

    def draw(self, lines: Sequence[str], top: int) -> None:
        """Switch to the alternate screen and write ``lines`` from line ``top`` (0-based),
        the first in bold. The lines are the table's words: no control character is
        in them (the model replaced them)."""
        drawn = [ENTER]
        for row, line in enumerate(lines):
            text = f"{BOLD}{line}{NORMAL}" if row == 0 else line
            drawn.append(f"\x1b[{top + row + 1};1H{text}")
        self._write("".join(drawn))
        self._drawn = True

    def hand_over(self) -> list[Any]:
        """The app's driver takes the terminal: the settings it must restore at its end
        (those from before the first rows)."""
        self.handed_over = True
        return self._saved

    def on_app_drawn(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (once) when the app says its table has rows on screen."""
        self._app_drawn = callback

    def app_drawn(self) -> None:
        """The app's table has rows: what it holds back may be shown."""
        callback, self._app_drawn = self._app_drawn, None
        if callback is not None:
            callback()

    def close(self) -> None:
        """Unless the app took the terminal: back to the shell's screen, echo on."""
        if self.handed_over:
            return
        self.handed_over = True
        import termios  # noqa: PLC0415 - POSIX only

        if self._drawn:
            with contextlib.suppress(OSError):
                self._write(LEAVE)
        with contextlib.suppress(termios.error):
            termios.tcsetattr(self._fd, termios.TCSANOW, self._saved)

    @staticmethod
    def _write(text: str) -> None:
        stream = sys.__stderr__
        assert stream is not None
        stream.write(text)
        stream.flush()
