"""``u``: edit the URIs of the download under the cursor (a dialog of its URIs), or
replace a part of every URI of the tagged downloads. The change itself is in
:mod:`aria2_top.ops.uris`; what aria2 holds afterwards is read back and shown."""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import TYPE_CHECKING

from aria2_top.live.session import DaemonSession
from aria2_top.model.downloads import Download, DownloadKey, Status
from aria2_top.model.format import plural, safe_text
from aria2_top.ops.uris import (
    RETRIED,
    HeldUris,
    UriChange,
    change_uris,
    read_uris,
    replaced,
    uris_refusal,
)
from aria2_top.rpc.errors import Aria2Error
from aria2_top.ui.screens.uris_dialog import ReplaceUrisDialog, UrisDialog
from aria2_top.ui.workers import in_worker

if TYPE_CHECKING:
    from aria2_top.ui.dashboard.screen import DashboardScreen

SHOWN_AFTER = 3
"""Downloads named one by one in what a replacement says; the rest are counted."""


class UriCommands:
    """What ``u`` does."""

    def __init__(self, screen: DashboardScreen) -> None:
        self._screen = screen

    def edit(self) -> None:
        screen = self._screen
        targets = screen.targets()
        if not targets:
            return
        refused = [(d, why) for d in targets if (why := uris_refusal(d))]
        usable = [d for d in targets if d not in {r[0] for r in refused}]
        if refused and not usable:
            screen.notify(refused[0][1], severity="warning")
            return
        if len(usable) == 1 and len(targets) == 1:
            work = partial(self._open_one, usable[0])
            in_worker(screen, work, "uris", name="read the URIs", exclusive=True)
            return
        if refused:
            screen.notify(
                f"left out {plural(len(refused), 'download')}: {refused[0][1]}", severity="warning"
            )
        retried = sum(1 for d in usable if d.status in RETRIED)
        dialog = ReplaceUrisDialog(len(usable), partial(self._replace_all, usable), retried)
        screen.app.push_screen(dialog)

    async def _open_one(self, download: Download) -> None:
        screen = self._screen
        session = screen.session_named(download.daemon)
        if session is None:
            return
        try:
            held = await read_uris(session.client, download)
        except Aria2Error as exc:
            screen.notify(
                f"cannot read the URIs of {safe_text(download.name)}: {exc}", severity="error"
            )
            return
        await screen.app.push_screen(UrisDialog(held, partial(self._apply, session)))

    async def _apply(
        self, session: DaemonSession, held: HeldUris, wanted: dict[int, list[str]], top: bool
    ) -> tuple[UriChange, HeldUris | None]:
        """Change the URIs, then read back what aria2 holds (the new download's, after a
        retry; the cursor goes to it)."""
        change, now = await self._change(session, held, wanted, top)
        if change.error:
            return change, None
        if now.gid != held.download.gid:
            self._screen.cursor.when_shown(DownloadKey(session.name, now.gid))
        try:
            return change, await read_uris(session.client, now)
        except Aria2Error:
            return change, None

    async def _change(
        self, session: DaemonSession, held: HeldUris, wanted: dict[int, list[str]], top: bool
    ) -> tuple[UriChange, Download]:
        """Change the URIs; the download that has them now (a retried one is a new,
        waiting download)."""
        here = self._screen.runner.files_here(session)
        change = await change_uris(session.client, held, wanted, top=top, files_here=here)
        now = held.download
        if not change.error and change.gid != now.gid:
            now = dataclasses.replace(now, gid=change.gid, status=Status.WAITING)
        return change, now

    async def _replace_all(
        self, targets: list[Download], old: str, new: str, top: bool
    ) -> list[str]:
        """The same replacement on each download (one daemon after the other); lines
        saying what was done and what aria2 holds now."""
        screen = self._screen
        changed: list[str] = []
        same: list[str] = []
        failed: list[str] = []
        for download in targets:
            session = screen.session_named(download.daemon)
            if session is None:
                continue
            try:
                held = await read_uris(session.client, download)
                wanted = replaced(held, old, new)
                if all([u.uri for u in f.uris] == wanted.get(f.index, []) for f in held.files):
                    same.append(download.name)
                    continue
                change, now_download = await self._change(session, held, wanted, top)
                if change.error:
                    failed.append(change.error)
                    continue
                now = await read_uris(session.client, now_download)
            except Aria2Error as exc:
                failed.append(f"{safe_text(download.name)}: {exc}")
                continue
            first = next((u.uri for f in now.files for u in f.uris), "no URI")
            changed.append(f"{safe_text(download.name)[:40]}: now {safe_text(first)}")
        lines = [f"changed {len(changed)} · no match in {len(same)} · failed {len(failed)}"]
        lines += changed[:SHOWN_AFTER]
        if len(changed) > SHOWN_AFTER:
            lines.append(f"… and {len(changed) - SHOWN_AFTER} more")
        lines += failed[:SHOWN_AFTER]
        return lines
