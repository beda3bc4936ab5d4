"""The keys for a download's data: copy its magnet link, URIs, GID or path."""

from __future__ import annotations

from rich.text import Text
from textual import work

from aria2_top.core.copying import KINDS, STATUS_KEYS, copy_of
from aria2_top.core.fleet import by_daemon
from aria2_top.core.format import safe_text
from aria2_top.core.model import Download
from aria2_top.rpc.client import RpcCall
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.dashboard.routing import DaemonRouting
from aria2_top.ui.screens.choose import ChooseScreen

COPY_SHOWN = 72
"""Characters of the copied text the notice shows."""


class FileActions(DaemonRouting):
    """y (copy)."""

    async def action_copy(self) -> None:
        """y: choose what to copy (m magnet, u URIs, g GID, p path) of the targets."""
        targets = self.targets()
        if not targets:
            return
        options = [(key, f"{key}  {what}") for key, what in KINDS.items()]
        first = "m" if all(d.is_torrent for d in targets) else "u"
        note = Text("m u g p choose at once · copied with OSC 52 (works over SSH)", style="dim")

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self._copy(kind, targets)

        await self.app.push_screen(
            ChooseScreen("Copy", options, first, note, keys={k: k for k in KINDS}), chosen
        )

    @work(group="copy", exclusive=True, exit_on_error=False)
    async def _copy(self, kind: str, targets: list[Download]) -> None:
        statuses: list[object] = []
        for daemon, group in by_daemon(targets).items():
            session = self.session(daemon)
            try:
                statuses += await session.client.multicall(
                    [RpcCall("aria2.tellStatus", [d.gid, STATUS_KEYS]) for d in group]
                )
            except Aria2Error as exc:
                self.notify(self._where(daemon) + safe_text(str(exc)), severity="error")
                return
        copied = copy_of(kind, statuses)
        what = KINDS[kind]
        if not copied.count:
            self.notify(f"nothing to copy: no {what} here", severity="warning")
            return
        self.app.copy_to_clipboard(copied.text)
        shown = safe_text(copied.text.replace("\n", " "))
        if len(shown) > COPY_SHOWN:
            shown = shown[: COPY_SHOWN - 1] + "…"
        some = f" of {copied.count}" if copied.count > 1 else ""
        none = f" ({copied.missing} had none)" if copied.missing else ""
        self.notify(f"copied the {what}{some}{none}: {shown}", markup=False)
