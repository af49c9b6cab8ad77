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

What keeps it serving the coach while another account of the machine, without the token, tries to
wear it down:

- a connection that has not shown the token IDLE_TIMEOUT seconds after it opened is closed, as is
  any connection idle that long after an answer (a tab's websocket is a request in progress);
  past MAX_STRANGERS connections without the token, the oldest are closed once they have had
  STRANGER_GRACE seconds to show it; a wrong address's 403 closes its connection. So idle
  connections cannot use up the server's file descriptors (it also raises its soft limit to the
  hard one), nor keep the coach's tab out;
- at most MAX_TABS apps run, counted as tabs are let in, before any of them has started;
- its terminal gets the link and one-line notices, each kind at most every NOTICE_EVERY seconds,
  never a traceback; a malformed request gets its 400 and nothing on the terminal.

Stopping (Ctrl+C, SIGTERM, SIGHUP) sends each app SIGTERM: it saves and lets go of its client as
on a shutdown, and is killed only if it has not ended STOP_GRACE seconds later. Apps run in their
own process group, so Ctrl+C in the server's terminal reaches the server alone, which stops them
in order; if the server dies, each app sees its input end and saves and ends by itself
(ui/web_driver.py).
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import html
import ipaddress
import json
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
import tempfile
import time
import webbrowser
from collections.abc import Awaitable, Callable
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from aiohttp.http_exceptions import HttpProcessingError
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..ui.web_driver import DRIVER

TOKEN_BYTES = 24  # 192 bits
STOP_GRACE = 5.0  # seconds an app has to save and end after SIGTERM (it takes 1.5 at most: ui/app.py)
MAX_TABS = 8  # apps running at once: a tab stuck reloading must not start hundreds
IDLE_TIMEOUT = 5.0  # seconds a connection may go without a whole request (a browser sends one at once)
MAX_STRANGERS = 64  # connections open at once that have not shown the token (past their grace)
STRANGER_GRACE = 1.0  # seconds a new connection has to show the token before the cap may close it
NOTICE_EVERY = 10.0  # seconds between two notices of one kind on the server's terminal
SHORTAGE = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)  # accept() out of resources
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
            try:
                await task
            except asyncio.CancelledError:
                # textual-serve's run() ends so when the app's output ends before its stderr reader has started;
                # only a cancel of this stop itself goes on up (else the tab would count against MAX_TABS forever).
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
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
        self.tabs = 0  # tabs let in and not ended yet: taken before any await, so tabs opened at once count each other
        self.sockets: set[web.WebSocketResponse] = set()
        # The connections none of whose requests has shown the token yet, oldest first.
        self.strangers: dict[web.RequestHandler, float] = {}  # to the loop's time it arrived
        self._trim_handle: asyncio.TimerHandle | None = None

    def arrived(self, connection: web.RequestHandler) -> None:
        """A new connection is a stranger until it shows the token. Past MAX_STRANGERS the oldest are closed, not the
        newest (a crowd of idle ones must not keep the coach's tab out), and only after STRANGER_GRACE: a burst of
        hundreds is accepted in batches, and would close the coach's connection before its request was read."""
        loop = asyncio.get_running_loop()
        self.strangers[connection] = loop.time()
        # Its own timer: aiohttp's keepalive_timeout runs from a connection's opening only in recent versions.
        loop.call_later(IDLE_TIMEOUT, self._expire, connection)
        self._trim()

    def _expire(self, connection: web.RequestHandler) -> None:
        if connection in self.strangers:  # IDLE_TIMEOUT seconds, and still no request with the token
            self._let_go(connection)

    def _trim(self) -> None:
        loop = asyncio.get_running_loop()
        while len(self.strangers) > MAX_STRANGERS:
            oldest, since = next(iter(self.strangers.items()))
            if loop.time() - since < STRANGER_GRACE:
                if self._trim_handle is None:  # one timer at a time, for the oldest one's grace
                    self._trim_handle = loop.call_at(since + STRANGER_GRACE, self._trim_later)
                return
            self._let_go(oldest)

    def _trim_later(self) -> None:
        self._trim_handle = None
        self._trim()

    def left(self, connection: web.RequestHandler) -> None:
        self.strangers.pop(connection, None)

    def make_room(self) -> None:
        """Out of file descriptors: the older half of the strangers are closed, so that the next accept() finds some."""
        for connection in list(self.strangers)[: (len(self.strangers) + 1) // 2]:
            self._let_go(connection)

    def _let_go(self, connection: web.RequestHandler) -> None:
        self.strangers.pop(connection, None)
        connection.force_close()

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
            return _refused()
        first = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return _refused()
        self.strangers.pop(request.protocol, None)
        if request.path == f"/{self.token}":
            raise web.HTTPFound(f"/{self.token}/", headers=SAFE_HEADERS)
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            # A page of another site may not drive the app (it would need the token too; this is a second lock).
            return _refused()
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
        if max(self.tabs, len(self.apps)) >= MAX_TABS:
            return web.Response(status=503, text=TOO_MANY, headers=SAFE_HEADERS)
        self.tabs += 1  # before the first await; given back once the tab's app has ended, or failed to start
        try:
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
        finally:
            self.tabs -= 1
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """The page's messages, checked: keys, a size within MAX_CELLS, focus, ping. Anything malformed ends
        the tab's connection (textual-serve's own loop passed any size on, and a huge one filled memory)."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except (ValueError, RecursionError):  # RecursionError: "[[[…" nested deeper than Python recurses
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
        if self._trim_handle is not None:
            self._trim_handle.cancel()
        await asyncio.gather(*(tab.stop() for tab in list(self.apps)))
        for websocket in list(self.sockets):
            await websocket.close()


def _refused() -> web.Response:
    """403, and the connection closed after it: one without the token is not kept open for another try."""
    response = web.Response(status=403, text=FORBIDDEN, headers=SAFE_HEADERS)
    response.force_close()
    return response


class Doorway(web.Server):
    """aiohttp's server of connections, telling the SessionServer of each one's coming and going."""

    def __init__(self, session: SessionServer, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.session = session

    def connection_made(self, handler: web.RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        self.session.arrived(handler)

    def connection_lost(self, handler: web.RequestHandler, exc: BaseException | None = None) -> None:
        super().connection_lost(handler, exc)
        self.session.left(handler)


class Runner(web.AppRunner):
    """aiohttp's runner with a Doorway for its server: connections idle past IDLE_TIMEOUT closed, no access log."""

    def __init__(self, app: web.Application, session: SessionServer):
        # keepalive_timeout: a connection that showed the token is closed once idle that long after an answer.
        # A connection still open when the server stops is closed after STOP_GRACE seconds, not aiohttp's 60.
        super().__init__(app, handle_signals=False, access_log=None, keepalive_timeout=IDLE_TIMEOUT, shutdown_timeout=STOP_GRACE)
        self.session = session

    async def _make_server(self) -> web.Server:
        made = await super()._make_server()  # the app started and frozen, as aiohttp's runner does it
        return Doorway(self.session, made.request_handler, request_factory=made.request_factory, loop=asyncio.get_running_loop(), **self._kwargs)


class Listener(socket.socket):
    """A listening socket that reports running out of file descriptors once per turn of the event loop: asyncio's
    accept loop (3.11) goes on calling accept() after EMFILE, up to 128 times, each time scheduling another retry;
    the retries multiplied, spun the CPU and printed thousands of tracebacks a second."""

    short = False

    def accept(self) -> tuple[socket.socket, Any]:
        if self.short:
            raise BlockingIOError(errno.EAGAIN, "out of file descriptors: asyncio retries in a second")
        try:
            return super().accept()
        except OSError as error:
            if error.errno in SHORTAGE:
                with suppress(RuntimeError):  # no loop running: every call tries again
                    asyncio.get_running_loop().call_soon(setattr, self, "short", False)
                    self.short = True
            raise


class Notices(logging.Handler):
    """What reaches the server's terminal besides the link: one line per kind of trouble, at most every NOTICE_EVERY
    seconds, never a traceback (a crowd of idle connections once printed thousands of them a second there)."""

    def __init__(self, on_shortage: Callable[[], None], stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__(logging.WARNING)
        self.on_shortage = on_shortage
        self.stream = stream  # None: sys.stderr as it is at each notice
        self.clock = clock
        self.said: dict[tuple[str, ...], float] = {}
        self.held: dict[tuple[str, ...], int] = {}

    def say(self, kind: tuple[str, ...], text: str) -> None:
        now = self.clock()
        if kind in self.said and now - self.said[kind] < NOTICE_EVERY:
            self.held[kind] = self.held.get(kind, 0) + 1
            return
        self.said[kind] = now
        held = self.held.pop(kind, 0)
        line = " ".join(text.split())[:300] + (f" (and {held} more like it)" if held else "")
        with suppress(OSError, ValueError):  # a terminal gone (SIGHUP) is no reason to fail
            print(f"sessionpal: {line}", file=self.stream or sys.stderr, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            return  # a malformed request: its 400 told the one who sent it
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        self.say((record.name, str(record.msg), type(error).__name__), message.split("\n", 1)[0] + _what(error))

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """The event loop's errors (accept() failing, a task's exception never retrieved), as notices."""
        error = context.get("exception")
        message = str(context.get("message") or "error in the event loop").split("\n", 1)[0]
        if isinstance(error, OSError) and error.errno in SHORTAGE:
            self.on_shortage()
            message = "out of file descriptors; closing connections that have not shown the link's token"
        self.say(("asyncio", message, type(error).__name__), message + _what(error))


def _what(error: BaseException | None) -> str:
    return f" ({type(error).__name__}: {error})" if error is not None else ""


def raise_open_files_limit() -> None:
    """The soft limit on open files up to the hard one (often 1,024 under far more): room for tabs and strangers."""
    try:
        import resource
    except ImportError:  # Windows
        return
    with suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = hard if hard != resource.RLIM_INFINITY else 10240  # macOS refuses an unlimited soft limit (OPEN_MAX)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


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
    sock: socket.socket
    try:
        for index, name in enumerate(hosts):
            family = socket.AF_INET6 if ":" in name else socket.AF_INET
            try:
                sock = Listener(family, socket.SOCK_STREAM)
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
    raise_open_files_limit()
    asyncio.run(_serve(server, sockets, url, open_browser, out))


async def _serve(server: SessionServer, sockets: list[socket.socket], url: str, open_browser: bool, out: TextIO) -> None:
    runner = Runner(await server._make_app(), server)
    await runner.setup()
    stack = ExitStack()
    # From here on aiohttp's and asyncio's errors reach the terminal as one-line notices, not tracebacks.
    notices = Notices(server.make_room)
    asyncio.get_running_loop().set_exception_handler(notices.loop_exception)
    logging.getLogger().addHandler(notices)
    stack.callback(logging.getLogger().removeHandler, notices)
    try:
        # The stop signals are taken before the link is printed: a Ctrl+C right after it is a stop like any other.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            with suppress(AttributeError, NotImplementedError, ValueError):
                loop.add_signal_handler(getattr(signal, name), stop.set)
        for sock in sockets:
            await web.SockSite(runner, sock).start()
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
