"""Hooks: a command run when a download starts, is paused, finishes, fails, is
stopped, or (a torrent) has all its data, on any daemon, local or not.

A hook's command gets the download as environment variables (``ARIA2_GID``,
``ARIA2_NAME``, ``ARIA2_PATH``, ``ARIA2_DIR``, ``ARIA2_DAEMON``, ``ARIA2_STATUS``,
``ARIA2_ERROR``, ``ARIA2_EVENT``) and, in its words, as placeholders (``{gid}``,
``{name}``, ``{path}``, ``{dir}``, ``{daemon}``, ``{status}``, ``{error}``,
``{event}``); ``aria2-top listen`` also appends GID, name, path and daemon as
arguments. No shell runs unless the command names one. One hook at a time per
download, a few at once in all, each with a deadline; what each printed and how it
ended goes to ``hooks.log`` in the data folder.

Which ends are due is decided with the :class:`HookLedger`: a hook never runs twice
for one end, and ends reached while no runner watched are caught up on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.model import fields
from aria2_top.model.aria2_codes import describe_error
from aria2_top.model.downloads import Download, DownloadKey, Snapshot
from aria2_top.model.format import full_moment
from aria2_top.model.hook_events import ENDS, HookKind, changes, ends_of
from aria2_top.model.masking import for_file
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2Error
from aria2_top.storage.hook_ledger import HookLedger
from aria2_top.storage.private_files import ensure_private_dir, open_private

LOG_NAME = "hooks.log"
LOG_MAX_BYTES = 1_000_000
"""The log is cut to its newer half past this size."""
OUTPUT_KEPT = 16_384
"""Bytes of a hook's output kept for the log."""
AT_ONCE = 4
"""Hooks running at the same time, at most."""
DEFAULT_TIMEOUT = 60.0
PATH_KEYS = ["dir", "files", "bittorrent"]
_PLACEHOLDER = re.compile(r"\{(gid|name|path|dir|daemon|status|error|event)\}")


@dataclass(frozen=True, slots=True)
class Hook:
    """A command for one kind of event."""

    kind: HookKind
    argv: tuple[str, ...]
    append_args: bool = False
    """Append GID, name, path and daemon (``aria2-top listen``'s way)."""

    @property
    def identity(self) -> str:
        """What the ledger knows this hook by: its event and its command."""
        return f"{self.kind} {json.dumps(self.argv)}" + (" +args" if self.append_args else "")


@dataclass(frozen=True, slots=True)
class HookRun:
    """How one run of a hook went."""

    hook: Hook
    download: Download
    code: int | None
    """Its exit status (None: it did not run, or did not end in time)."""
    problem: str = ""
    output: str = ""

    def words(self) -> str:
        """``complete a.iso: exit 0``, said in the event log and by ``listen``."""
        how = self.problem or f"exit {self.code}"
        return f"{self.hook.kind} hook for {self.download.name}: {how}"


@dataclass(slots=True)
class HookRunner:
    """Decides which hooks are due for each snapshot, and runs them."""

    hooks: Sequence[Hook]
    ledger: HookLedger
    log_dir: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    _locks: dict[DownloadKey, asyncio.Lock] = field(default_factory=dict)
    _slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(AT_ONCE))
    _listed: dict[str, tuple[Download, ...]] = field(default_factory=dict)
    """Each daemon's waiting and stopped lists as last looked at."""

    def due(
        self, daemon: str, before: Snapshot | None, after: Snapshot
    ) -> list[tuple[Hook, Download]]:
        """The hooks to run now: for the ends not run yet (caught up on after a pause
        or a restart; on a hook's first sight of a daemon, its ends are noted and none
        runs), and for the starts and pauses since ``before``."""
        if after.partial:
            return []
        found: list[tuple[Hook, Download]] = []
        # The waiting and stopped lists come again as the very same tuple while aria2
        # did not list them anew: then only the running downloads can have news.
        same_lists = self._listed.get(daemon) is after.listed
        self._listed[daemon] = after.listed
        looked_at = after.running if same_lists else after.downloads
        reached: dict[HookKind, list[Download]] = {kind: [] for kind in ENDS}
        for download in looked_at:
            for kind in ends_of(download):
                reached[kind].append(download)
        for hook in (h for h in self.hooks if h.kind in ENDS):
            if not self.ledger.primed(daemon, hook.identity):
                everything = after.downloads
                ends = [d.gid for d in everything if hook.kind in ends_of(d)]
                self.ledger.prime(daemon, hook.identity, ends)
                continue
            found += [
                (hook, d)
                for d in reached[hook.kind]
                if self.ledger.claim(daemon, d.gid, hook.identity)
            ]
        for kind, download in changes(before, after):
            found += [(hook, download) for hook in self.hooks if hook.kind is kind]
        return found

    async def run(self, client: Aria2Client | None, hook: Hook, download: Download) -> HookRun:
        """Run ``hook`` for ``download`` (after any hook still running for it)."""
        lock = self._locks.setdefault(download.key, asyncio.Lock())
        async with lock, self._slots:
            where = await _where(client, download)
            outcome = await self._run(hook, download, where)
        if not lock.locked():
            self._locks.pop(download.key, None)
        await asyncio.to_thread(self._log, outcome)
        return outcome

    async def _run(self, hook: Hook, download: Download, where: tuple[str, str]) -> HookRun:
        values = _values(hook.kind, download, *where)
        argv = [_PLACEHOLDER.sub(lambda m: values[m.group(1)], word) for word in hook.argv]
        if hook.append_args:
            argv += [values["gid"], values["name"], values["path"], values["daemon"]]
        env = dict(os.environ) | {f"ARIA2_{k.upper()}": v for k, v in values.items()}
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            return HookRun(hook, download, None, f"cannot run {argv[0]!r}: {exc.strerror or exc}")
        assert process.stdout is not None
        kept = bytearray()

        async def read() -> None:
            assert process.stdout is not None
            while chunk := await process.stdout.read(65536):
                kept.extend(chunk[: max(0, OUTPUT_KEPT - len(kept))])
            await process.wait()

        try:
            await asyncio.wait_for(read(), self.timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            problem = f"stopped after {self.timeout:g} s (its deadline)"
            return HookRun(hook, download, None, problem, kept.decode(errors="replace"))
        return HookRun(hook, download, process.returncode, "", kept.decode(errors="replace"))

    def _log(self, run: HookRun) -> None:
        """One entry in hooks.log: when, which hook, for what, how it ended, its output."""
        if self.log_dir is None:
            return
        path = self.log_dir / LOG_NAME
        lines = [f"{full_moment(time.time())}  {for_file(run.words())}"]
        lines.append(f"  command: {for_file(' '.join(run.hook.argv))}")
        lines += [f"  | {for_file(line)}" for line in run.output.splitlines()]
        try:
            ensure_private_dir(self.log_dir)
            if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
                newer = path.read_bytes()[-LOG_MAX_BYTES // 2 :]
                fd = open_private(path)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(newer[newer.find(b"\n") + 1 :])
            fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
        except OSError:
            pass  # the hook ran; a log that cannot be written is not its failure


def _values(kind: HookKind, download: Download, path: str, folder: str) -> dict[str, str]:
    error = (
        describe_error(download.error_code, download.error_message, torrent=download.is_torrent)
        if download.error_code
        else ""
    )
    return {
        "gid": download.gid,
        "name": download.name,
        "path": path,
        "dir": folder,
        "daemon": download.daemon,
        "status": download.status.value,
        "error": error,
        "event": kind.value,
    }


async def _where(client: Aria2Client | None, download: Download) -> tuple[str, str]:
    """(the download's file, or its top folder for several files; its folder)."""
    folder = download.folder
    fallback = str(Path(folder) / download.name) if folder else download.name
    if client is None:
        return fallback, folder
    try:
        status = await client.tell_status(download.gid, PATH_KEYS)
    except Aria2Error:
        return fallback, folder
    return path_of(status, download.name), fields.text(status.get("dir")) or folder


def path_of(status: Mapping[str, object], name: str) -> str:
    """A download's path: its one file, else the folder its files share in ``dir``."""
    folder = fields.text(status.get("dir")) or ""
    paths = [fields.text(f.get("path")) or "" for f in fields.structs(status.get("files"))]
    paths = [p for p in paths if p]
    if len(paths) == 1:
        return paths[0]
    torrent = fields.struct(status.get("bittorrent")) or {}
    info = fields.struct(torrent.get("info")) or {}
    top = fields.text(info.get("name")) or name
    return str(Path(folder) / top) if folder else top


def parse_hooks(commands: Mapping[HookKind, Sequence[str]], *, append_args: bool) -> list[Hook]:
    """The hooks of a mapping of event to command words (empty ones left out)."""
    return [
        Hook(kind, tuple(argv), append_args) for kind, argv in commands.items() if argv and argv[0]
    ]
