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
import ipaddress
import os
import secrets
import shlex
import signal
import socket
import sys
import webbrowser
from collections.abc import Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..ui.web_driver import DRIVER

TOKEN_BYTES = 24  # 192 bits
STOP_GRACE = 5.0  # seconds an app has to save and end after SIGTERM (it takes 1.5 at most: ui/app.py)
TEMPLATES = Path(__file__).parent / "templates"
LOOPBACK = ("127.0.0.1", "::1")
FORBIDDEN = "sessionpal: this address needs the whole link that `sessionpal serve` printed.\n"
SAFE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


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

    def __init__(self, argv: list[str], token: str):
        super().__init__(shlex.join(argv), title="sessionpal", templates_path=TEMPLATES)
        self.argv = argv
        self.token = token
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
        first = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return web.Response(status=403, text=FORBIDDEN, headers=SAFE_HEADERS)
        if request.path == f"/{self.token}":
            raise web.HTTPFound(f"/{self.token}/", headers=SAFE_HEADERS)
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            # A page of another site may not drive the app (it would need the token too; this is a second lock).
            return web.Response(status=403, text=FORBIDDEN, headers=SAFE_HEADERS)
        response = await handler(request)
        response.headers.update(SAFE_HEADERS)
        return response

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        # Addresses on the host the browser used (127.0.0.1, localhost or [::1]: same origin, whichever).
        scheme = "wss" if request.headers.get("X-Forwarded-Proto") == "https" else "ws"
        size = request.query.get("fontsize", "16")
        return {
            "font_size": int(size) if size.isdigit() and 6 <= int(size) <= 64 else 16,
            "app_websocket_url": f"{scheme}://{request.host}/{self.token}/ws",
            "config": {"static": {"url": f"/{self.token}/static/"}},
            "application": {"name": "sessionpal"},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """As textual-serve's, with the tab's app started as TabApp and every socket known, to close at the end."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _cells(request.query.get("width"), 80)
        height = _cells(request.query.get("height"), 24)
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

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(tab.stop() for tab in list(self.apps)))
        for websocket in list(self.sockets):
            await websocket.close()


def _cells(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isdigit() and 10 <= int(value) <= 1000 else default


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


def serve(argv: list[str], sockets: list[socket.socket], *, open_browser: bool, out: TextIO) -> None:
    """Run the server on `sockets` until Ctrl+C, SIGTERM or SIGHUP; then stop every tab's app."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    url = url_for(sockets, token)
    asyncio.run(_serve(SessionServer(argv, token), sockets, url, open_browser, out))


async def _serve(server: SessionServer, sockets: list[socket.socket], url: str, open_browser: bool, out: TextIO) -> None:
    runner = web.AppRunner(await server._make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        for sock in sockets:
            await web.SockSite(runner, sock).start()
        print("sessionpal is ready. Open this link in your browser (it is new each time):", file=out)
        print(url, file=out)
        print("Ctrl+C here stops it; every open tab saves first.", file=out, flush=True)
        if open_browser and can_open_a_browser():
            await asyncio.to_thread(webbrowser.open, url, 2)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            with suppress(AttributeError, NotImplementedError, ValueError):
                loop.add_signal_handler(getattr(signal, name), stop.set)
        await stop.wait()
        print("sessionpal: stopping; each open tab saves and closes…", file=out, flush=True)
    finally:
        await server.on_shutdown(runner.app)
        await runner.cleanup()
