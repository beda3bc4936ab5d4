"""Which daemon to talk to: the configured one, the default one, or our own.

1. A URL from the command line, environment or config file is used as it is.
2. Else, if anything answers on the default address, that daemon is used.
3. Else a private daemon left running by an earlier aria2-top (``--keep-daemon``) is
   used again, and this run takes it over: it stops it on exit unless told to keep
   it again, so a kept daemon never runs on forgotten.
4. Else a new private daemon is started.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aria2_top.config import DEFAULT_RPC_URL, Settings
from aria2_top.daemon import RunningDaemon, find_running_private_daemon, start_private_daemon
from aria2_top.rpc.client import Aria2Client, redact_url
from aria2_top.rpc.errors import Aria2ConnectionError, Aria2Error

PRIVATE_LABEL = "private daemon"


@dataclass(slots=True)
class Endpoint:
    """A daemon's address and secret, with the private daemon when it is ours."""

    url: str
    secret: str | None = field(repr=False)
    label: str
    daemon: RunningDaemon | None = None
    owns_daemon: bool = False
    """Ours to stop on exit (unless told to keep it)."""
    started_daemon: bool = False
    """Started by this very run (not found running)."""

    def client(self, ca_file: str | None = None) -> Aria2Client:
        """A new RPC client for this endpoint."""
        return Aria2Client(self.url, self.secret, ca_file=ca_file)


async def something_answers(url: str) -> bool:
    """True when a JSON-RPC server answers at ``url`` (a secret is not needed to tell)."""
    try:
        async with Aria2Client(url, timeout=1.5) as client:
            await client.call("system.listMethods")
    except Aria2ConnectionError:
        return False
    except Aria2Error:
        return True
    return True


async def resolve_endpoint(settings: Settings, *, keep_daemon: bool = False) -> Endpoint:
    """Pick the daemon as the module docstring says; may start aria2c."""
    if settings.rpc_url:
        return Endpoint(settings.rpc_url, settings.secret, redact_url(settings.rpc_url))
    if await something_answers(DEFAULT_RPC_URL):
        return Endpoint(DEFAULT_RPC_URL, settings.secret, DEFAULT_RPC_URL)
    daemon = await find_running_private_daemon(settings.data_dir)
    if daemon is not None:  # left running by --keep-daemon or `aria2-top add`
        return Endpoint(daemon.url, daemon.secret, PRIVATE_LABEL, daemon, owns_daemon=True)
    daemon = await start_private_daemon(
        settings.data_dir, settings.download_dir, keep_running=keep_daemon
    )
    return Endpoint(
        daemon.url, daemon.secret, PRIVATE_LABEL, daemon, owns_daemon=True, started_daemon=True
    )
