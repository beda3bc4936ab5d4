"""``aria2-top --serve``: who may be served, what each tab runs, and the real thing in
a headless Chromium driving a real aria2c."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import pytest
import websockets
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from aria2_top.daemon.process import RunningDaemon
from aria2_top.web.serve import (
    remote_refusal,
)
from tests.conftest import SLOW
from tests.support.browser import (
    CHROMIUM,
    NO_CHROMIUM,
    ServedApp,
    open_chromium,
    open_page,
    served_in_chromium,
    wait_apps_ended,
)
from tests.support.files import FileServer
from tests.support.rpc import TestClient
from tests.support.terminal import run_cli, user_environment
from tests.support.waiting import wait_for_status, wait_until

# --- who may be served --------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LocalHost"]
)
def test_loopback_is_served(host: str) -> None:
    assert remote_refusal(host, allow_remote=False) is None


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "::", "", "192.168.1.20", "10.0.0.7", "fe80::1", "nas.example.org"]
)
def test_other_hosts_need_allow_remote(host: str) -> None:
    refusal = remote_refusal(host, allow_remote=False)
    assert refusal is not None and "\n" not in refusal
    assert "--allow-remote" in refusal and "delete their files" in refusal
    assert remote_refusal(host, allow_remote=True) is None


def test_a_refused_host_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_cli("--serve", "--host", "0.0.0.0", env=user_environment(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--allow-remote" in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli("--serve", "--port", port, env=user_environment(tmp_path))
    assert result.returncode == 1
    assert (
        result.stderr.count("\n") == 1 and f"cannot serve on 127.0.0.1 port {port}" in result.stderr
    )
    assert "serving" not in result.stdout


# --- what each tab runs -------------------------------------------------------------------


# --- served -------------------------------------------------------------------------------


async def test_a_page_of_another_site_gets_no_app(tmp_path: Path) -> None:
    """A WebSocket from another site's page (any page the browser shows can script
    one) is refused before an app starts."""
    served = ServedApp(
        user_environment(tmp_path), tmp_path / "serve.log", "--rpc-url", "http://127.0.0.1:9/"
    )
    try:
        await served.wait_listening()
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(
                served.socket_url(), origin=Origin("http://attacker.example")
            ):
                pass
        assert refused.value.response.status_code == 403
        assert served.apps() == set()
    finally:
        await served.stop()
    assert f"serving the dashboard at {served.url}/?token=" in served.log.read_text()


async def test_apps_quit_when_the_server_is_killed_outright(tmp_path: Path) -> None:
    """SIGKILL gives the server no time to end its apps: they notice and quit."""
    served = ServedApp(
        user_environment(tmp_path), tmp_path / "serve.log", "--rpc-url", "http://127.0.0.1:9/"
    )
    try:
        await served.wait_listening()
        async with websockets.connect(served.socket_url(), origin=Origin(served.url)) as socket:
            await socket.recv()  # the app draws its first screen
            apps = served.apps()
            assert len(apps) == 1
            served.process.kill()
            await wait_apps_ended(apps)
    finally:
        await served.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
async def test_a_browser_pauses_a_download(
    daemon: RunningDaemon, client: TestClient, files: FileServer, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.async_api", reason="the test extra installs playwright")
    name = "served-to-a-browser.bin"
    gid = await client.add_uri([files.make_file(name, 1 << 20)], {"max-download-limit": SLOW})
    await wait_for_status(client, gid, {"active"})
    log = tmp_path / "serve.log"
    size = (1280, 800)
    async with served_in_chromium(tmp_path, log, daemon.url, daemon.secret, size) as (
        served,
        page,
        terminal,
    ):
        await wait_until(terminal.text, lambda text: name in text, what="the download")
        assert len(served.apps()) == 1
        drawn_before = len(await terminal.text())
        await page.focus(".xterm-helper-textarea")
        await page.keyboard.press("p")
        await wait_for_status(client, gid, {"paused"})
        await wait_until(
            terminal.text, lambda text: "paused" in text[drawn_before:], what="it says paused"
        )
        shot = tmp_path / "browser.png"
        await page.screenshot(path=shot)
        assert shot.read_bytes().startswith(b"\x89PNG")
        # Ctrl+C or SIGTERM with the tab still open: its app quits, the page says so.
        await served.stop()
        await page.wait_for_selector("body.-closed", state="attached")
    assert daemon.secret not in served.log.read_text()


async def _status(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, body, Set-Cookie) of a GET of ``url``."""
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as reply:
        return reply.status, await reply.text(), reply.headers.get("Set-Cookie", "")


async def test_only_the_user_gets_in(tmp_path: Path) -> None:
    """The page and every WebSocket need the token printed at start; a request for a
    foreign Host (DNS rebinding) is refused; the fifth app at once is told why."""
    served = ServedApp(
        user_environment(tmp_path), tmp_path / "serve.log", "--rpc-url", "http://127.0.0.1:9/"
    )
    try:
        await served.wait_listening()
        assert len(served.token) >= 32
        for address in (served.url + "/", served.url + "/?token=wrong", served.url + "/ws"):
            status, body, _ = await _status(address)
            assert status == 403 and "with its token" in body, address
        status, body, cookie = await _status(f"{served.url}/static/js/textual.js")
        assert status == 403, "the page's own files too"
        status, body, cookie = await _status(served.address)
        assert status == 200 and "xterm" in body and f"ws?token={served.token}" in body
        assert f"aria2-top-token-{served.port}={served.token}" in cookie
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        status, body, _ = await _status(served.address, {"Host": "evil.example"})
        assert status == 403 and "answers only at" in body
        for token in ("", "nope", served.token[:-1]):
            with pytest.raises(InvalidStatus) as refused:
                async with websockets.connect(served.socket_url(token), origin=Origin(served.url)):
                    pass
            assert refused.value.response.status_code == 403
        assert served.apps() == set()
        async with contextlib.AsyncExitStack() as tabs:
            for _ in range(4):
                socket = await tabs.enter_async_context(
                    websockets.connect(served.socket_url(), origin=Origin(served.url))
                )
                await socket.recv()  # its app draws
            with pytest.raises(InvalidStatus) as refused:
                async with websockets.connect(served.socket_url(), origin=Origin(served.url)):
                    pass
            assert refused.value.response.status_code == 503
            status, body, _ = await _status(served.address)
            assert status == 503 and "runs 4 apps at once (--max-sessions)" in body
            assert len(served.apps()) == 4
    finally:
        await served.stop()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
async def test_an_ipv6_literal_is_served(tmp_path: Path) -> None:
    served = ServedApp(
        user_environment(tmp_path),
        tmp_path / "serve.log",
        "--host",
        "[::1]",
        "--rpc-url",
        "http://127.0.0.1:9/",
    )
    served.url = f"http://[::1]:{served.port}"
    try:
        await served.wait_listening()
        assert served.address.startswith(f"http://[::1]:{served.port}/?token=")
        status, body, _ = await _status(served.address)
        assert status == 200 and "xterm" in body
    finally:
        await served.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
async def test_in_a_browser_the_page_needs_its_token(tmp_path: Path) -> None:
    """Real Chromium: the address without its token is refused in words; with it,
    the page opens its app (the cookie then carries the token for its own files)."""
    pytest.importorskip("playwright.async_api", reason="the test extra installs playwright")
    served = ServedApp(
        user_environment(tmp_path), tmp_path / "serve.log", "--rpc-url", "http://127.0.0.1:9/"
    )
    try:
        await served.wait_listening()
        async with open_chromium() as browser:
            page = await open_page(browser, 800, 600)
            reply = await page.goto(served.url + "/")
            assert reply is not None and reply.status == 403
            assert "with its token" in await page.inner_text("body")
            assert served.apps() == set()
            reply = await page.goto(served.address, wait_until="domcontentloaded")
            assert reply is not None and reply.status == 200
            await wait_until(lambda: _count(served), lambda apps: apps == 1, what="its app")
    finally:
        await served.stop()


async def _count(served: ServedApp) -> int:
    return len(served.apps())
