"""`sessionpal serve` without a browser: who may reach it, where it listens, and how it stops."""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import psutil
import pytest
from aiohttp import web

from sessionpal.core.paths import Home

from ..helpers import env_without_home
from .conftest import Tab, alive, lock_files, serving, wait_for


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_only_the_printed_link_opens_anything(home: Home) -> None:
    with serving(home) as served:
        origin, token = served.origin, served.url.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 32, "at least 128 bits, written in URL-safe base64"
        status, headers, page = get(served.url)
        assert status == 200 and f"{token}/ws" in page and "googleapis" not in page
        assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
        for wrong in ["/", "/ws", "/static/js/textual.js", f"/{token[:-1]}/", f"/{token}x/ws", f"/x/{token}/", "/favicon.ico"]:
            status, _, body = get(origin + wrong)
            assert status == 403 and "needs the whole link" in body, wrong
        assert get(f"{origin}/{token}/static/js/textual.js")[0] == 200
        assert served.apps() == [], "no request without the token, nor the page itself, starts an app"


def test_the_websocket_needs_the_token_and_the_page_s_own_origin(ana_home: Home) -> None:
    async def handshake(url: str, origin: str | None) -> int:
        headers = {"Origin": origin} if origin else {}
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers=headers) as ws:
                    await ws.close()
                    return 101
            except aiohttp.WSServerHandshakeError as error:
                return error.status

    with serving(ana_home) as served:
        ws = served.url.replace("http://", "ws://") + "ws"
        bare = served.origin.replace("http://", "ws://") + "/ws"
        assert asyncio.run(handshake(bare, served.origin)) == 403
        assert asyncio.run(handshake(ws, "http://evil.example")) == 403, "another site's page may not drive the app"
        assert served.apps() == []
        assert asyncio.run(handshake(ws, served.origin)) == 101


def test_it_listens_on_loopback_only_and_stops_every_app_it_started(ana_home: Home) -> None:
    with serving(ana_home, "--client", "Ana Pérez") as served:
        listening = [c.laddr for c in psutil.Process(served.process.pid).net_connections("inet") if c.status == psutil.CONN_LISTEN]
        assert listening and all(ipaddress.ip_address(address.ip).is_loopback for address in listening), listening
        tab = Tab(served)  # left open: its app runs, and holds Ana, until the server stops
        assert wait_for(lambda: len(served.apps()) == 1 and lock_files(served.home) != [], timeout=60), "the tab's app opened Ana's session"
        tab.type("Arrived tired but clear\r")
        session = ana_home.client_dir("ana-perez") / "sessions"
        assert wait_for(lambda: any("Arrived tired but clear" in p.read_text() for p in session.glob("*.md")), timeout=30), "a note typed in the tab is saved"
        apps = served.apps()
        assert served.stop(signal.SIGINT) == 0
        assert alive(apps) == [], "the app ended with the server"
        assert lock_files(served.home) == [], "and let go of Ana"
        assert tab.closed.wait(10), "the tab was told"
        tab.close()


def test_two_tabs_on_one_client_behave_as_two_terminals(ana_home: Home) -> None:
    """The second tab's app is read-only on Ana and follows the first one's notes."""
    with serving(ana_home, "--client", "Ana Pérez") as served:
        first = Tab(served)
        assert wait_for(lambda: lock_files(served.home) != [] and b"Type a note" in first.screen, timeout=60)
        second = Tab(served)
        assert wait_for(lambda: b"read-only: open in another sessionpal" in second.screen, timeout=60), "the second tab says it is read-only"
        first.type("She wants to lead the spring project\r")
        assert wait_for(lambda: b"She wants to lead the spring project" in second.screen, timeout=30), "and follows the first"
        assert len(served.apps()) == 2
        first.close()
        second.close()


def test_a_killed_server_s_apps_save_and_end_by_themselves(ana_home: Home) -> None:
    with serving(ana_home, "--client", "Ana Pérez") as served:
        tab = Tab(served)
        assert wait_for(lambda: len(served.apps()) == 1 and lock_files(served.home) != [], timeout=60)
        time.sleep(2)  # the screen settled: an idle app writes nothing, so only its input can tell it the server is gone
        apps = served.apps()
        served.process.kill()
        served.process.wait()
        assert wait_for(lambda: alive(apps) == [], timeout=10), "an app whose server is gone ends (its input ended)"
        assert lock_files(served.home) == []
        tab.close()


def test_listening_beyond_loopback_warns(home: Home) -> None:
    with serving(home, "--host", "0.0.0.0") as served:
        served.stop()
        assert served.process.stderr is not None
        assert "travel unencrypted" in served.process.stderr.read()


def test_a_port_in_use_is_a_clear_message(home: Home) -> None:
    with serving(home) as served:
        port = served.origin.rsplit(":", 1)[1]
        taken = subprocess.run(
            [sys.executable, "-m", "sessionpal", "serve", "--home", str(home.root), "--no-browser", "--port", port],
            capture_output=True,
            text=True,
            env=env_without_home(),
            timeout=60,
        )
        assert taken.returncode == 1 and taken.stderr.startswith(f"sessionpal: cannot listen on 127.0.0.1:{port}:"), taken.stderr


def test_a_host_name_made_to_point_here_is_turned_away(home: Home) -> None:
    """DNS rebinding: a page of evil.example made to resolve to 127.0.0.1 names itself as Host."""
    with serving(home) as served:
        port = served.origin.rsplit(":", 1)[1]
        request = urllib.request.Request(served.url, headers={"Host": f"evil.example:{port}"})
        try:
            urllib.request.urlopen(request, timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == 403
        for name in ("127.0.0.1", "localhost"):
            assert get(served.url.replace("127.0.0.1", name))[0] == 200, name
        missing = get(served.url + "static/nothing-here.js")
        assert missing[0] == 404 and missing[1]["Cache-Control"] == "no-store", "every answer carries the safe headers"
        assert get(served.url + "?fontsize=%C2%B2")[0] == 200, "a digit int() does not take is no crash"
        assert "connect-src 'self'" in get(served.url)[1]["Content-Security-Policy"]


def test_a_malformed_or_oversized_message_ends_that_tab_only(ana_home: Home) -> None:
    with serving(ana_home) as served:
        first = Tab(served)
        assert wait_for(lambda: len(served.apps()) == 1, timeout=60)
        app = served.apps()[0]
        first._run(first.socket.send_json(["resize", {"width": 30000, "height": 30000}]))
        assert first.closed.wait(15), "the tab's connection closed"
        assert wait_for(lambda: alive([app]) == [], timeout=15), "and its app ended"
        second = Tab(served)
        second._run(second.socket.send_str("not json"))
        assert second.closed.wait(15)
        assert served.process.poll() is None, "the server goes on"
        first.close()
        second.close()


def test_a_client_name_that_looks_like_an_option_stays_a_name(home: Home) -> None:
    with serving(home, "--client=--version") as served:
        tab = Tab(served)
        assert wait_for(lambda: b"Type a note" in tab.screen, timeout=60), "the app opened a client called --version"
        assert [p.name for p in home.clients_dir.iterdir()] == ["version"]
        tab.close()


def test_code_reaches_every_tab_s_app(home: Home) -> None:
    with serving(home, "--client", "Jane Doe", "--code") as served:
        tab = Tab(served)
        assert wait_for(lambda: home.clients_dir.exists() and any(home.clients_dir.iterdir()), timeout=60)
        folders = [p.name for p in home.clients_dir.iterdir()]
        assert len(folders) == 1 and folders[0].startswith("c-"), "stored under a code: the name is in no path"
        tab.close()


def test_more_tabs_than_allowed_get_503(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiohttp.test_utils import make_mocked_request

    from sessionpal.browser import server

    served = server.SessionServer(["true"], "t" * 32)
    served.apps = {object() for _ in range(server.MAX_TABS)}  # type: ignore[misc]
    answer = asyncio.run(served.handle_websocket(make_mocked_request("GET", "/" + "t" * 32 + "/ws")))
    assert isinstance(answer, web.Response) and answer.text is not None
    assert answer.status == 503 and "tabs are open already" in answer.text


def test_the_browser_is_given_a_private_page_not_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A browser's command line is listed for every account of the computer: the token must not be on it."""
    from sessionpal.browser import server

    opened = []
    monkeypatch.setattr("sessionpal.browser.server.webbrowser.open", lambda target, new=0: opened.append(target))
    url = "http://127.0.0.1:4242/" + "s" * 32 + "/"
    server.open_in_browser(url, tmp_path)
    page = tmp_path / "open-sessionpal.html"
    assert opened == [page.as_uri()] and "s" * 32 not in opened[0]
    assert url in page.read_text() and oct(page.stat().st_mode & 0o777) == "0o600"
