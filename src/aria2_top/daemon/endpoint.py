"""Which daemon to talk to: the configured one, the default one, or our own.

0. Named daemons (``[[daemons]]`` or ``--rpc-url NAME=URL``) are used as they are,
   all in one view.
1. A URL from the command line, environment or config file is used as it is.
2. Else, if anything answers on the default address, that daemon is used.
3. Else the private daemon: the one another aria2-top (or ``aria2-top add``, or an
   earlier ``--keep-daemon``) left running, or a new one. Each app holds a lease on
   it; the last app to quit stops it (see :mod:`aria2_top.daemon.private`). The
   verbs of the command line (``ls``, ``pause``…) use it only while it runs: they
   never start one (``start=False``), and say so (:class:`NoDaemon`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aria2_top.config.settings import DEFAULT_RPC_URL, Settings
from aria2_top.daemon.private import PrivateDaemon
from aria2_top.daemon.process import DaemonError, find_running_private_daemon
from aria2_top.diagnostics.debug_log import hide_secrets
from aria2_top.rpc.client import Aria2Client
from aria2_top.rpc.errors import Aria2ConnectionError, Aria2Error
from aria2_top.rpc.wire import is_loopback_url, redact_url

PRIVATE_LABEL = "private daemon"


@dataclass(slots=True)
class Endpoint:
    """A daemon's address and secret, with our hold on it when it is the private one."""

    url: str
    secret: str | None = field(repr=False)
    label: str
    """The daemon's name: its own with several daemons, else its address."""
    private: PrivateDaemon | None = None
    ca_file: str | None = None
    """A CA of this daemon's own (else the settings')."""
    local: bool | None = None
    """Whether its files are on this machine; None: judged from its URL and folder
    (see :func:`aria2_top.ops.local_files.is_local`)."""

    def __post_init__(self) -> None:
        hide_secrets(self.secret)  # from the debug log, if there is one

    def client(self, settings: Settings | None = None) -> Aria2Client:
        """A new RPC client for this endpoint, with the deadline and reply cap of
        ``settings`` (else the defaults)."""
        if settings is None:
            return Aria2Client(self.url, self.secret, ca_file=self.ca_file)
        return Aria2Client(
            self.url,
            self.secret,
            ca_file=self.ca_file or settings.ca_file,
            timeout=settings.timeout,
            max_reply_bytes=settings.max_reply_mib * 2**20,
        )

    def keeps_files_here(self, download_dir: str) -> bool:
        """Whether this daemon's files are on this machine: as configured, else its URL
        is loopback and its ``download_dir`` exists here."""
        if self.local is not None:
            return self.local
        return is_local(self.url, download_dir)

    async def restart(self) -> None:
        """Restart the private daemon keeping its downloads (see
        :meth:`PrivateDaemon.restart`); the address and secret follow it."""
        if self.private is None:
            raise DaemonError(f"{self.label} is not aria2-top's private daemon")
        await self.private.restart()
        self.url, self.secret = self.private.daemon.url, self.private.daemon.secret
        hide_secrets(self.secret)

    async def revive(self) -> bool:
        """If this is the private daemon and it vanished, start it again (or join the
        one another app restarted); True when the address or secret changed."""
        if self.private is None or not await self.private.revive():
            return False
        self.url, self.secret = self.private.daemon.url, self.private.daemon.secret
        hide_secrets(self.secret)
        return True


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


class NoDaemon(DaemonError):
    """No daemon to talk to, and none to be started: the message says which address
    was tried and why it did not do."""


async def resolve_endpoints(
    settings: Settings, *, lease: bool = True, start: bool = True
) -> list[Endpoint]:
    """The named daemons of the settings, else the one :func:`resolve_endpoint` picks."""
    if settings.daemons:
        return [Endpoint(d.rpc_url, d.secret, d.name, ca_file=d.ca_file) for d in settings.daemons]
    return [await resolve_endpoint(settings, lease=lease, start=start)]


async def resolve_endpoint(
    settings: Settings, *, lease: bool = True, start: bool = True
) -> Endpoint:
    """Pick the daemon as the module docstring says; may start aria2c. ``lease``:
    hold the private daemon until :meth:`PrivateDaemon.release` (the app does;
    ``aria2-top add`` does not, and leaves it running). ``start=False``: the private
    daemon only if it runs (else :class:`NoDaemon`)."""
    if settings.rpc_url:
        return Endpoint(settings.rpc_url, settings.secret, redact_url(settings.rpc_url))
    if await something_answers(DEFAULT_RPC_URL):
        return Endpoint(DEFAULT_RPC_URL, settings.secret, DEFAULT_RPC_URL)
    if not start:
        running = await find_running_private_daemon(settings.data_dir)
        if running is None:
            raise NoDaemon(
                f"no daemon reachable: nothing answers at {DEFAULT_RPC_URL} and the private "
                "aria2c is not running (start aria2-top, or give --rpc-url)"
            )
        return Endpoint(running.url, running.secret, PRIVATE_LABEL)
    private = await PrivateDaemon.attach(settings.data_dir, settings.download_dir, lease=lease)
    return Endpoint(private.daemon.url, private.daemon.secret, PRIVATE_LABEL, private)


def is_local(url: str, folder: str | None) -> bool:
    """Whether a daemon at ``url`` whose download folder is ``folder`` keeps its files
    on this machine (its URL is loopback and the folder exists here)."""
    return bool(folder) and is_loopback_url(url) and Path(str(folder)).is_dir()
