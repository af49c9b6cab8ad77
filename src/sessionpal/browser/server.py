"""`sessionpal serve`: the app in a browser tab on the coach's own computer, through textual-serve.

Each tab that opens the page gets an app process of its own on the same home, as a second
terminal would (a second tab on a client in session follows it, read-only). What keeps the notes
private:

- it listens on loopback (127.0.0.1 and ::1) unless told another address;
- every address it answers starts with a random token (192 bits, new at each start); any other
  request gets 403 and starts nothing, so another user of the machine, or a web page trying
  localhost, finds nothing;
- the websocket must come from the page's own origin; pages are never cached, framed, or named
  to another site as a referrer; the page fetches nothing from outside the computer.

Stopping (Ctrl+C, SIGTERM, SIGHUP) sends each app SIGTERM: it saves and lets go of its client as
on a shutdown, and is killed only if it has not ended STOP_GRACE seconds later. Apps run in their
own process group, so Ctrl+C in the server's terminal reaches the server alone, which stops them
in order; if the server dies, each app sees its input end and saves and ends by itself
(ui/web_driver.py).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import os
import secrets
import shlex
import signal
import socket
import sys
import tempfile
import webbrowser
from collections.abc import Awaitable, Callable
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..ui.web_driver import DRIVER

TOKEN_BYTES = 24  # 192 bits
STOP_GRACE = 5.0  # seconds an app has to save and end after SIGTERM (it takes 1.5 at most: ui/app.py)
MAX_TABS = 8  # apps running at once: a tab stuck reloading must not start hundreds
MAX_CELLS = (500, 300)  # the widest and tallest terminal a page may ask for (a 4K screen in a small font)
TEMPLATES = Path(__file__).parent / "templates"
LOOPBACK = ("127.0.0.1", "::1")
FORBIDDEN = "sessionpal: this address needs the whole link that `sessionpal serve` printed.\n"
SAFE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # The page loads and connects to this server only (the inline script and styles are the template's and
    # xterm.js's own); a site a link opens cannot reach back into the tab.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
TOO_MANY = f"sessionpal: {MAX_TABS} tabs are open already; close one, then reload this one.\n"


class TabApp(AppService):
    """The app process of one browser tab."""

    def __init__(self, argv: list[str], running: set[TabApp], **kwargs: Any):
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.running = running

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TEXTUAL_DRIVER"] = DRIVER
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # Not through a shell (a home or client name is never parsed as shell words), and in a session
        # of its own, so Ctrl+C in the server's terminal is the server's alone to act on.
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        self._process = process
        self._stdin = process.stdin
        self.running.add(self)
        return process

    async def run(self) -> None:
        await super().run()
        # The app ended (quit, or it could not start): the page says so instead of waiting forever.
        with suppress(Exception):
            await self.remote_close()

    async def stop(self) -> None:
        """SIGTERM rather than textual-serve's quit message: the app saves as on a shutdown."""
        process = self._process
        if process is not None and process.returncode is None:
            with suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE)
            except TimeoutError:
                with suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._task is not None:
            task, self._task = self._task, None
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await task
        self.running.discard(self)


class SessionServer(Server):
    """textual-serve's server with every route behind the token, and the app started as TabApp."""

    def __init__(self, argv: list[str], token: str, hosts: set[str] | None = None):
        super().__init__(shlex.join(argv), title="sessionpal", templates_path=TEMPLATES)
        self.argv = argv
        self.token = token
        # The Host a request may name (host:port): a page whose name was made to point at this computer
        # (DNS rebinding) is turned away even before its missing token is. None: any (tests).
        self.hosts = hosts
        self.apps: set[TabApp] = set()
        self.sockets: set[web.WebSocketResponse] = set()

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        under = f"/{self.token}"
        app.add_routes(
            [
                web.get(f"{under}/", self.handle_index, name="index"),
                web.get(f"{under}/ws", self.handle_websocket, name="websocket"),
                web.get(under + "/download/{key}", self.handle_download, name="download"),
                web.static(f"{under}/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        if self.hosts is not None and request.host.casefold() not in self.hosts:
            return web.Response(status=403, text=FORBIDDEN, headers=SAFE_HEADERS)
        first = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return web.Response(status=403, text=FORBIDDEN, headers=SAFE_HEADERS)
        if request.path == f"/{self.token}":
            raise web.HTTPFound(f"/{self.token}/", headers=SAFE_HEADERS)
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            # A page of another site may not drive the app (it would need the token too; this is a second lock).
            return web.Response(status=403, text=FORBIDDEN, headers=SAFE_HEADERS)
        try:
            response = await handler(request)
        except web.HTTPException as error:  # a 404 under the token: the same headers as any answer
            error.headers.update(SAFE_HEADERS)
            raise
        response.headers.update(SAFE_HEADERS)
        return response

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        # Addresses on the host the browser used (127.0.0.1, localhost or [::1]: same origin, whichever).
        scheme = "wss" if request.headers.get("X-Forwarded-Proto") == "https" else "ws"
        return {
            "font_size": _number(request.query.get("fontsize"), 16, 6, 64),
            "app_websocket_url": f"{scheme}://{request.host}/{self.token}/ws",
            "config": {"static": {"url": f"/{self.token}/static/"}},
            "application": {"name": "sessionpal"},
        }

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """As textual-serve's, with the tab's app started as TabApp and every socket known, to close at the end."""
        if len(self.apps) >= MAX_TABS:
            return web.Response(status=503, text=TOO_MANY, headers=SAFE_HEADERS)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        width = _number(request.query.get("width"), 80, 10, MAX_CELLS[0])
        height = _number(request.query.get("height"), 24, 5, MAX_CELLS[1])
        app: TabApp | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            app = TabApp(
                self.argv,
                self.apps,
                write_bytes=websocket.send_bytes,  # fsio-ok: to the browser, not a file
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            await app.start(width, height)
            await self._process_messages(websocket, app)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            self.sockets.discard(websocket)
            if app is not None:
                await app.stop()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """The page's messages, checked: keys, a size within MAX_CELLS, focus, ping. Anything malformed ends
        the tab's connection (textual-serve's own loop passed any size on, and a huge one filled memory)."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                break
            if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                break
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = data.get("width"), data.get("height")
                if type(width) is not int or type(height) is not int or not (10 <= width <= MAX_CELLS[0] and 5 <= height <= MAX_CELLS[1]):
                    break
                await app_service.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, (str, int, float)):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(tab.stop() for tab in list(self.apps)))
        for websocket in list(self.sockets):
            await websocket.close()


def _number(value: str | None, default: int, low: int, high: int) -> int:
    """A number from a query string, within bounds; else the default ("²" is a digit to isdigit, not to int)."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 6:
        return default
    return int(value) if low <= int(value) <= high else default


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    with suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


def listen(host: str | None, port: int) -> list[socket.socket]:
    """Sockets for the server: loopback's two addresses on one port (::1 only where the machine has it)."""
    hosts = [host] if host else list(LOOPBACK)
    sockets: list[socket.socket] = []
    try:
        for index, name in enumerate(hosts):
            family = socket.AF_INET6 if ":" in name else socket.AF_INET
            try:
                sock = socket.socket(family, socket.SOCK_STREAM)
            except OSError:
                if index:  # no IPv6 here: 127.0.0.1 alone
                    continue
                raise
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind((name, port))
            except OSError:
                sock.close()
                if index and not host:  # ::1 unavailable: 127.0.0.1 is enough
                    continue
                raise
            sock.listen(128)
            sock.setblocking(False)
            sockets.append(sock)
            port = sock.getsockname()[1]  # a port chosen by the system: the same one for ::1
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def url_for(sockets: list[socket.socket], token: str) -> str:
    host, port = sockets[0].getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{token}/"


def can_open_a_browser() -> bool:
    """Whether webbrowser would open a window: on Linux without a display it would start a text browser
    (lynx, w3m) in this very terminal."""
    if sys.platform == "darwin" or os.name == "nt":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def allowed_hosts(sockets: list[socket.socket], host: str | None, extra: list[str]) -> set[str]:
    """The Host headers the server answers: its loopback names, the address it was told, and any names a
    reverse proxy in front of it passes on (--allow-host); each with the port, as browsers send it."""
    port = sockets[0].getsockname()[1]
    names = {"127.0.0.1", "localhost", "[::1]"} | ({f"[{host}]" if ":" in host else host} if host else set())
    hosts = {f"{name}:{port}".casefold() for name in names}
    hosts |= {name.casefold() for name in extra} | {f"{name}:{port}".casefold() for name in extra if ":" not in name}
    return hosts


def open_in_browser(url: str, folder: Path) -> None:
    """Open the link through a page in a folder only this user can read: on the browser's command line (which
    every account of the computer can list) the link, and its token, would be there for all to see."""
    from ..core import fsio

    page = folder / "open-sessionpal.html"
    link = html.escape(url, quote=True)
    fsio.atomic_write(
        page, f'<!DOCTYPE html>\n<meta charset="utf-8">\n<meta http-equiv="refresh" content="0;url={link}">\n<a href="{link}">Open sessionpal</a>\n'
    )
    webbrowser.open(page.as_uri(), 2)


def serve(
    argv: list[str], sockets: list[socket.socket], *, open_browser: bool, out: TextIO, host: str | None = None, extra_hosts: list[str] | None = None
) -> None:
    """Run the server on `sockets` until Ctrl+C, SIGTERM or SIGHUP; then stop every tab's app."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    url = url_for(sockets, token)
    server = SessionServer(argv, token, allowed_hosts(sockets, host, extra_hosts or []))
    asyncio.run(_serve(server, sockets, url, open_browser, out))


async def _serve(server: SessionServer, sockets: list[socket.socket], url: str, open_browser: bool, out: TextIO) -> None:
    runner = web.AppRunner(await server._make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    stack = ExitStack()
    try:
        # The stop signals are taken before the link is printed: a Ctrl+C right after it is a stop like any other.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            with suppress(AttributeError, NotImplementedError, ValueError):
                loop.add_signal_handler(getattr(signal, name), stop.set)
        for sock in sockets:
            # A connection still open when the server stops is closed after a few seconds, not aiohttp's 60.
            await web.SockSite(runner, sock, shutdown_timeout=STOP_GRACE).start()
        print("sessionpal is ready. Open this link in your browser (it is new each time):", file=out)
        print(url, file=out)
        print("Ctrl+C here stops it; every open tab saves first.", file=out, flush=True)
        if open_browser and can_open_a_browser():
            private = tempfile.TemporaryDirectory(prefix="sessionpal-")  # 0700, removed when the server stops
            stack.callback(private.cleanup)
            await asyncio.to_thread(open_in_browser, url, Path(private.name))
        await stop.wait()
        print("sessionpal: stopping; each open tab saves and closes…", file=out, flush=True)
    finally:
        await server.on_shutdown(runner.app)
        await runner.cleanup()
        stack.close()
