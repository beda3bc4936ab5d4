"""Textual's Linux driver, taking the terminal from the first rows
(:mod:`aria2_top.ui.early_terminal`).

The alternate screen is already on with the first rows on it, so the first start does
not switch to it again (that would blank it). What the app draws is held back until
its table has rows (:meth:`EarlyTerminal.app_drawn`), at most :data:`HOLD_AT_MOST`
seconds: its first frames, still connecting, would otherwise blank the first rows for
a moment. Then everything held is written at once, in order. Keys are read from then
on too: one typed on the first rows acts on the row it was typed on, not on a table
still empty (until then they wait, in order, in the terminal). At the end the
terminal gets back its settings from before the first rows.

Textual is pinned (pyproject.toml): this leans on its Linux driver's ``write`` and
``_run_input_thread``.
"""

from __future__ import annotations

import asyncio
import threading

from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from aria2_top.ui.early_terminal import EarlyTerminal

ALTERNATE_SCREEN = "\x1b[?1049h"
HOLD_AT_MOST = 1.0
"""Seconds the app's output waits for its first rows (a slow daemon)."""


class AfterFirstRows(LinuxDriver):
    """The Linux driver, taking the terminal from :attr:`early`."""

    early: EarlyTerminal
    _held: list[str] | None = None
    """What the app wrote while its output is held back; None: not held."""
    _keys_read = threading.Event()
    """Set once keys may be read (the first start's own event; later starts: set)."""
    _keys_read.set()

    def start_application_mode(self) -> None:
        first = not self.early.handed_over  # later starts (after Ctrl+Z) are plain ones
        saved = self.early.hand_over()
        if first:
            self._held = []
            self._keys_read = threading.Event()
            self.early.on_app_drawn(self.release_output)
            asyncio.get_running_loop().call_later(HOLD_AT_MOST, self.release_output)
        super().start_application_mode()  # type: ignore[no-untyped-call]
        if first:
            self.attrs_before = saved

    def write(self, data: str) -> None:
        held = self._held
        if held is None:
            super().write(data)
        elif data != ALTERNATE_SCREEN:
            held.append(data)

    def release_output(self) -> None:
        """Write what was held back, at once; from now on, as it comes; read keys."""
        held, self._held = self._held, None
        if held:
            super().write("".join(held))
            self.flush()
        self._keys_read.set()

    def _run_input_thread(self) -> None:
        self._keys_read.wait()
        super()._run_input_thread()

    def stop_application_mode(self) -> None:
        self.release_output()
        super().stop_application_mode()


def driver_after(early: EarlyTerminal) -> type[Driver]:
    """A Linux driver that takes the terminal from ``early``."""
    return type("AfterFirstRows", (AfterFirstRows,), {"early": early})
