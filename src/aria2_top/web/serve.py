"""``aria2-top --serve``: the dashboard in a browser, through textual-serve.

This module holds what the flags mean: who may be served (loopback only, unless
``--allow-remote``), the page's address, and the command each browser tab runs: this
same program with the same arguments, less the serving ones. The web server itself
(:mod:`aria2_top.web.server`) is imported only when serving, so ``aria2-top --help``
stays fast.
"""

from __future__ import annotations

import argparse
import secrets
import shlex
import socket
import sys
from collections.abc import Sequence

from aria2_top.rpc.wire import is_loopback_host

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_SESSIONS = 4
MAX_SESSIONS = 64
TOKEN_BYTES = 24
"""Random bytes of the token in the page's address (32 characters)."""
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
LOOPBACK_ORIGIN_HOSTS = ("127.0.0.1", "localhost", "[::1]")
"""The names a browser on this machine may have typed to reach a loopback server."""

DANGER = (
    "the page controls your downloads: anyone who can reach it can pause, remove and "
    "add downloads and delete their files"
)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("must be from 1 to 65535")
    return port


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """``--serve``, ``--host``, ``--port`` and ``--allow-remote``."""
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve the dashboard to web browsers on --host and --port instead of showing "
        "it here (each browser tab runs an app of its own)",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to serve on with --serve (default: {DEFAULT_HOST}; only loopback "
        "addresses unless --allow-remote)",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port to serve on with --serve (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=f"let --host be an address other machines can reach ({DANGER})",
    )
    parser.add_argument(
        "--public-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name the page is reached by (a reverse proxy's, a machine name); "
        "requests for any other host are refused (repeatable)",
    )
    parser.add_argument(
        "--max-sessions",
        type=_sessions,
        default=DEFAULT_SESSIONS,
        metavar="N",
        help=f"apps (browser tabs) served at once at most (default: {DEFAULT_SESSIONS})",
    )


def _sessions(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= count <= MAX_SESSIONS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_SESSIONS}")
    return count


def bind_host(host: str) -> str:
    """The address to bind: an IPv6 address without its brackets (``[::1]`` -> ``::1``)."""
    return host.strip().removeprefix("[").removesuffix("]")


def allowed_hosts(host: str, port: int, public: Sequence[str] = ()) -> frozenset[str]:
    """The ``Host`` headers the server answers: the address served, for a loopback
    server its other local names, and ``public`` names; with and without the port
    for port 80. Any other is refused (DNS rebinding)."""
    names = {page_url(host, port).removeprefix("http://")}
    if is_loopback_host(bind_host(host)) or host.strip() in WILDCARD_HOSTS:
        names.update(_origin(name, port).removeprefix("http://") for name in LOOPBACK_ORIGIN_HOSTS)
    names.update(public_names(public, port))
    if port == 80:
        names.update({f"{name}:80" for name in list(names)})
    return frozenset(names)


def public_names(public: Sequence[str], port: int) -> set[str]:
    """``--public-host`` names as a ``Host`` header carries them (``name:port``)."""
    names = set()
    for name in public:
        bare = bind_host(name).lower()
        bare = f"[{bare}]" if ":" in bare else bare
        names.add(bare if port == 80 else f"{bare}:{port}")
    return names


def remote_refusal(host: str, *, allow_remote: bool) -> str | None:
    """Why serving on ``host`` is refused (one line), or None when it may go ahead."""
    if allow_remote or is_loopback_host(host):
        return None
    return (
        f"aria2-top: not serving on {host or 'every address'}, which other machines may "
        f"reach: {DANGER}; use a loopback address (the default is {DEFAULT_HOST}), or "
        "add --allow-remote if that is what you want"
    )


def page_url(host: str, port: int) -> str:
    """The address to open: an IPv6 address in brackets; for a wildcard host (every
    address), this machine's name."""
    name = host.strip().removeprefix("[").removesuffix("]")
    if name in WILDCARD_HOSTS:
        name = socket.gethostname()
    if ":" in name:
        name = f"[{name}]"
    return _origin(name, port)


def _origin(name: str, port: int) -> str:
    """How a browser writes the origin of a page at ``http://name:port/``."""
    return f"http://{name.lower()}" if port == 80 else f"http://{name.lower()}:{port}"


def allowed_origins(host: str, port: int) -> frozenset[str]:
    """The pages that may open an app: the served page, and for a server that listens
    on loopback its other local names. A page of any other site the browser shows
    (which may script a WebSocket to this port) is refused."""
    origins = {page_url(host, port)}
    if is_loopback_host(host) or host.strip() in WILDCARD_HOSTS:
        origins.update(_origin(name, port) for name in LOOPBACK_ORIGIN_HOSTS)
    return frozenset(origins)


def _public_origins(args: argparse.Namespace) -> frozenset[str]:
    """The origins of the page under its ``--public-host`` names."""
    return frozenset(f"http://{name}" for name in public_names(args.public_host, args.port))


def app_arguments(argv: Sequence[str]) -> list[str]:
    """``argv`` without the serving options, in their every spelling (``--port=1``,
    ``--port 1``, abbreviations argparse accepts): what each browser tab's app gets."""
    parser = argparse.ArgumentParser(add_help=False)
    add_serve_options(parser)
    _, rest = parser.parse_known_args(list(argv))
    return rest


def app_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser tab: this Python running
    this program with the same arguments, less the serving ones (``exec``: the app
    replaces the shell, so it is the server's own child)."""
    return "exec " + shlex.join([sys.executable, "-m", "aria2_top", *app_arguments(argv)])


def serve(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Serve until Ctrl+C or SIGTERM: 0; 2 when the host is refused; 1 when the
    address cannot be served on."""
    host = bind_host(args.host)
    refusal = remote_refusal(host, allow_remote=args.allow_remote)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    if not is_loopback_host(host):
        print(f"aria2-top: warning: serving on {host or 'every address'}: {DANGER}")

    from aria2_top.web.server import DashboardServer  # noqa: PLC0415 - only when serving

    server = DashboardServer(
        app_command(argv),
        host=host,
        port=args.port,
        url=page_url(host, args.port),
        origins=allowed_origins(host, args.port) | _public_origins(args),
        hosts=allowed_hosts(host, args.port, args.public_host),
        token=secrets.token_urlsafe(TOKEN_BYTES),
        max_sessions=args.max_sessions,
    )
    try:
        server.serve()
    except OSError as exc:
        print(f"aria2-top: cannot serve on {args.host} port {args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
