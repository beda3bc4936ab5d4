"""``aria2-top add --watched``: what lies in the watched folders (``watch``), added
once and renamed as the dashboard does (:mod:`aria2_top.ops.watch_folder`), for cron
or a systemd path unit. The GIDs go to stdout, one per line; a line on stderr for each
file invalid (exit 1), each folder not there and each file still being written (left
for the next run)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace

from aria2_top.cli.options import settings_from
from aria2_top.config.errors import ConfigError
from aria2_top.config.settings import Settings
from aria2_top.daemon.endpoint import resolve_endpoints
from aria2_top.daemon.process import DaemonError
from aria2_top.model.masking import escaped
from aria2_top.ops.folder_watcher import FolderWatcher
from aria2_top.ops.watch_folder import FileLook, Taken, take
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2ConnectionError, Aria2Error

PREFIX = "aria2-top add"


def _say(text: str) -> None:
    print(f"{PREFIX}: {escaped(text)}", file=sys.stderr, flush=True)


def watched_main(args: argparse.Namespace) -> int:
    """Add what the watched folders hold; 1 when a file was invalid or nothing could
    be asked of the daemon."""
    try:
        settings = _one_daemon(settings_from(args))
        for warning in settings.warnings:
            _say(f"warning: {warning}")
        if not settings.watch:
            raise ConfigError('no watched folder: set watch = ["FOLDER", …] in the config file')
        taken, trouble = asyncio.run(_add_watched(settings))
    except (ConfigError, DaemonError, Aria2Error) as exc:
        _say(f"nothing added: {exc}")
        return 1
    gids = [gid for outcome in taken for gid in outcome.gids]
    if gids:
        print("\n".join(gids), flush=True)
    return 1 if trouble or any(not outcome.added for outcome in taken) else 0


def _one_daemon(settings: Settings) -> Settings:
    """The settings with only the daemon the folders add to: ``--daemon``'s, else
    ``watch_daemon``, else the first."""
    if len(settings.daemons) <= 1:
        return settings
    name = settings.watch_daemon or settings.daemons[0].name
    chosen = tuple(d for d in settings.daemons if d.name == name)
    if not chosen:
        names = ", ".join(d.name for d in settings.daemons)
        raise ConfigError(f"watch_daemon {name!r} is none of the daemons ({names})")
    return replace(settings, daemons=chosen)


async def _add_watched(settings: Settings) -> tuple[list[Taken], bool]:
    """Two looks :data:`SETTLE_SECONDS` apart (a file still being written is left for
    the next run), the private daemon started if needed and left running."""
    for attempt in (1, 2):
        endpoint = (await resolve_endpoints(settings, lease=False))[0]
        try:
            async with endpoint.client(settings) as client:
                taken, trouble = await _looks(settings, client)
            break
        except Aria2ConnectionError:
            # The last aria2-top stopped the private daemon just now: start it again.
            if endpoint.private is None or attempt == 2:
                raise
    private = endpoint.private
    if private is not None:
        if private.started:
            _say(f"started a private aria2c (pid {private.daemon.pid}); it keeps downloading")
        await private.daemon.save_session()
    return taken, trouble


async def _looks(settings: Settings, client: Aria2Client) -> tuple[list[Taken], bool]:
    """(the files handled, whether the daemon could not be asked for some)."""

    async def take_one(look: FileLook) -> Taken:
        return await take(client, look)

    def tell(text: str, trouble: bool) -> None:
        if trouble:
            _say(text)

    watcher = FolderWatcher(settings.watch, take_one, tell, events=False)
    await watcher.look()
    if watcher.settling.waited():
        await asyncio.sleep(watcher.settling.settle)
        await watcher.look()
    if not watcher.daemon_trouble:
        for path in watcher.settling.waited():
            _say(f"{path.name} is still being written (or empty): left for the next run")
    return watcher.taken, bool(watcher.daemon_trouble)
