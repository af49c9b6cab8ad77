"""`sessionpal serve` against another account of the computer, which has no token: idle connections by the hundred,
the file descriptors run out, malformed requests; and tabs opened all at once by the coach's own browser."""

from __future__ import annotations

import asyncio
import errno
import io
import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NoReturn

import aiohttp
import psutil
import pytest
from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage

from sessionpal.browser import server as serve_module
from sessionpal.core.paths import Home

from ..helpers import env_without_home, present
from .conftest import Served, Tab, _printed_link, alive, serving, wait_for
from .test_serve import get


def address(served: Served) -> tuple[str, int]:
    host, port = served.origin.split("//", 1)[1].rsplit(":", 1)
    return host, int(port)


def connections_held(served: Served) -> int:
    """The TCP connections the server process has accepted and not closed."""
    port = address(served)[1]
    held = psutil.Process(served.process.pid).net_connections("tcp")
    return sum(1 for c in held if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port)


def idle_connections(served: Served, count: int, *, wait: bool = True) -> list[socket.socket]:
    """Connections that send nothing; `wait=False`: connect without waiting for the server (past its backlog the
    kernel keeps retrying the handshake, and a blocking connect would wait seconds for each)."""
    opened = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if wait:
            sock.settimeout(30)
            sock.connect(address(served))
        else:
            sock.setblocking(False)
            sock.connect_ex(address(served))
        opened.append(sock)
    return opened


def closed_by_the_server(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:  # reset: closed too
        return True


def fetch(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def first_line(served: Served, request: bytes) -> bytes:
    """The status line of the server's answer to raw bytes."""
    with socket.create_connection(address(served), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        with suppress(OSError):
            while b"\r\n" not in answer and (chunk := sock.recv(65536)):
                answer += chunk
    return answer.split(b"\r\n", 1)[0]


@contextmanager
def serving_with_limit(home: Home, soft: int, hard: int) -> Iterator[Served]:
    """`sessionpal serve` with RLIMIT_NOFILE set to (soft, hard) before it starts."""
    import resource  # POSIX only

    process = subprocess.Popen(
        [sys.executable, "-m", "sessionpal", "serve", "--home", str(home.root), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_without_home() | {"PYTHONUNBUFFERED": "1"},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard)),
    )
    try:
        yield Served(process, _printed_link(process), home)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def stderr_after_stop(served: Served) -> str:
    assert served.stop(signal.SIGINT) == 0
    assert served.process.stderr is not None
    return served.process.stderr.read()


def test_idle_connections_are_closed_and_the_link_still_serves(home: Home) -> None:
    with serving(home) as served:
        crowd = idle_connections(served, 600)
        status, _, page = get(served.url)
        assert status == 200 and "/ws" in page, "the coach's link serves its page past 600 idle connections"

        # Fresh ones, silent or sending headers that never end, are closed too once IDLE_TIMEOUT has passed.
        silent = idle_connections(served, 10)
        slow = idle_connections(served, 1)[0]
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not closed_by_the_server(slow):
            with suppress(OSError):
                slow.sendall(b"X-More: 1\r\n")  # a header a second: never a whole request
            time.sleep(1)
        assert closed_by_the_server(slow), "a request whose headers never end is closed"
        assert wait_for(lambda: all(map(closed_by_the_server, silent + crowd)), timeout=60), "every idle connection is closed"
        assert wait_for(lambda: connections_held(served) == 0, timeout=30), "and the server holds none of them"
        assert get(served.url)[0] == 200
        for sock in crowd + silent + [slow]:
            sock.close()
        err = stderr_after_stop(served)
    assert err == "", err[:3000]


def test_past_max_strangers_the_oldest_connections_without_the_token_are_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_module, "IDLE_TIMEOUT", 300.0)  # only the cap closes connections here
    cap = serve_module.MAX_STRANGERS

    async def scenario() -> None:
        async with InProcess(["true"]) as served:
            host, port = served.origin.split("//")[1].rsplit(":", 1)
            crowd = [await asyncio.open_connection(host, int(port)) for _ in range(300)]
            closed: Callable[[], list[bool]] = lambda: [reader.at_eof() for reader, _ in crowd]
            assert await until(lambda: sum(closed()) >= 300 - cap, timeout=60)
            await asyncio.sleep(serve_module.STRANGER_GRACE + 0.5)
            assert closed() == [True] * (300 - cap) + [False] * cap, "the oldest were closed, the newest kept"
            assert len(served.session_server.strangers) == cap

            page = served.origin + "/" + served.token + "/"
            async with served.client.get(page) as response:
                assert response.status == 200, "the coach's link still serves"
            # Its connection closed the oldest stranger, as the cap has it, then showed the token: a stranger no more.
            assert len(served.session_server.strangers) == cap - 1
            assert await until(lambda: sum(closed()) == 300 - cap + 1)
            async with served.client.get(served.origin + "/wrong/") as response:
                assert response.status == 403 and response.headers.get("Connection", "").lower() == "close"
            for _, writer in crowd:
                writer.close()

    asyncio.run(scenario())


def test_running_out_of_file_descriptors_is_one_line_now_and_then(home: Home) -> None:
    """With 48 file descriptors, a crowd of idle connections makes accept() fail with EMFILE: the coach's link still
    serves, and the terminal gets a line every NOTICE_EVERY seconds at most, not thousands of tracebacks a second."""
    with serving_with_limit(home, 48, 48) as served:
        crowd = idle_connections(served, 300, wait=False)
        status, page = fetch(served.url, timeout=90)
        assert status == 200 and "/ws" in page
        process = psutil.Process(served.process.pid)
        before = sum(process.cpu_times()[:2])
        time.sleep(5)
        busy = sum(process.cpu_times()[:2]) - before
        assert busy < 2.5, f"the server spent {busy:.1f} s of CPU in 5 s with no one to serve"
        assert fetch(served.url, timeout=90)[0] == 200
        for sock in crowd:
            sock.close()
        err = stderr_after_stop(served)
    lines = err.splitlines()
    assert "Traceback" not in err, err[:3000]
    assert any("out of file descriptors" in line for line in lines), f"the crowd did run it out of descriptors: {err[:3000]}"
    assert 1 <= len(lines) <= 12 and all(line.startswith("sessionpal: ") for line in lines), err[:3000]


def test_serve_raises_its_soft_limit_on_open_files_to_the_hard_one(home: Home) -> None:
    with serving_with_limit(home, 256, 4096) as served:
        assert psutil.Process(served.process.pid).rlimit(psutil.RLIMIT_NOFILE) == (4096, 4096)
        assert get(served.url)[0] == 200


def test_malformed_requests_get_a_status_line_and_leave_the_terminal_alone(home: Home) -> None:
    with serving(home) as served:
        host, port = address(served)
        path = "/" + served.url.split("/", 3)[3]
        named = f"Host: {host}:{port}\r\n"
        malformed = {
            "two Host headers": f"GET {path} HTTP/1.1\r\n{named}{named}\r\n",
            "a header over 8 KB": f"GET {path} HTTP/1.1\r\n{named}X-Big: {'a' * 9000}\r\n\r\n",
            "a request line over 8 KB": f"GET /{'a' * 9000} HTTP/1.1\r\n{named}\r\n",
            "two lengths": f"GET {path} HTTP/1.1\r\n{named}Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
            "200 headers": f"GET {path} HTTP/1.1\r\n{named}" + "".join(f"X-{n}: a\r\n" for n in range(200)) + "\r\n",
            "not HTTP": "\x16\x03\x01\x02\x00garbage\r\n\r\n",
        }
        for what, request in malformed.items():
            line = first_line(served, request.encode("latin-1"))
            assert line.startswith(b"HTTP/1.") and line.split()[1] in (b"400", b"413", b"431"), (what, line)
        assert get(served.url)[0] == 200
        err = stderr_after_stop(served)
    assert err == "", err[:3000]


def test_json_nested_too_deep_ends_that_tab_only(home: Home) -> None:
    with serving(home) as served:
        first = Tab(served)
        assert wait_for(lambda: len(served.apps()) == 1, timeout=60)
        app = served.apps()[0]
        first._run(first.socket.send_str("[" * 100_000 + "]" * 100_000))
        assert first.closed.wait(15), "the tab's connection closed"
        assert wait_for(lambda: alive([app]) == [], timeout=15), "and its app ended"
        second = Tab(served)
        assert wait_for(lambda: [p.pid for p in served.apps()] not in ([], [app.pid]), timeout=60), "another tab still starts its app"
        assert wait_for(lambda: b"sessionpal" in second.screen, timeout=60), "and draws it"
        second.close()
        first.close()
        err = stderr_after_stop(served)
    assert "Traceback" not in err and "RecursionError" not in err, err[:3000]


class InProcess:
    """The server in this process, as `serve` runs it, its tabs' apps being `argv`: what it counts is at hand."""

    def __init__(self, argv: list[str]):
        self.token = "t" * 32
        self.session_server = serve_module.SessionServer(argv, self.token)
        self.opened: list[aiohttp.ClientWebSocketResponse] = []

    async def __aenter__(self) -> InProcess:
        sockets = serve_module.listen("127.0.0.1", 0)
        self.runner = serve_module.Runner(await self.session_server._make_app(), self.session_server)
        await self.runner.setup()
        for sock in sockets:
            await web.SockSite(self.runner, sock).start()
        self.url = serve_module.url_for(sockets, self.token).replace("http://", "ws://") + "ws"
        self.origin = serve_module.url_for(sockets, self.token).split("/" + self.token)[0]
        self.client = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close_tabs()
        await self.client.close()
        await self.session_server.on_shutdown(self.runner.app)
        await self.runner.cleanup()

    async def tab(self) -> int:
        """A tab's websocket, from the page's origin: 101 (left open), or the status it was refused with."""
        try:
            self.opened.append(await self.client.ws_connect(self.url, headers={"Origin": self.origin}))
            return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status

    async def close_tabs(self) -> None:
        for ws in self.opened:
            await ws.close()
        self.opened.clear()


async def until(condition: Callable[[], object], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        await asyncio.sleep(0.1)
    return bool(condition())


def test_tabs_opened_all_at_once_start_at_most_max_tabs_apps(tmp_path: Path) -> None:
    started = tmp_path / "started"
    # Each app notes that it started, then waits on its input as an app does.
    argv = ["/bin/sh", "-c", f"echo x >> '{started}'; echo __GANGLION__; exec cat"]
    apps_started: Callable[[], int] = lambda: len(started.read_text().split()) if started.exists() else 0
    limit = serve_module.MAX_TABS

    async def scenario() -> None:
        async with InProcess(argv) as served:
            statuses = await asyncio.gather(*(served.tab() for _ in range(20)))
            assert sorted(statuses) == [101] * limit + [503] * (20 - limit), statuses
            # The apps of the tabs let in start after their handshake; a late one would show here.
            assert await until(lambda: len(served.session_server.apps) == limit and apps_started() == limit)
            await asyncio.sleep(1)
            assert apps_started() == limit, "no more apps than MAX_TABS started"
            assert await served.tab() == 503
            await served.close_tabs()
            assert await until(lambda: served.session_server.tabs == 0 and not served.session_server.apps), "closed tabs give their places back"
            assert await served.tab() == 101

    asyncio.run(scenario())


def test_a_tab_whose_app_cannot_start_gives_its_place_back(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with InProcess([str(tmp_path / "no-such-program")]) as served:
            statuses = await asyncio.gather(*(served.tab() for _ in range(serve_module.MAX_TABS)))
            assert statuses == [101] * serve_module.MAX_TABS
            assert await until(lambda: served.session_server.tabs == 0), "each failed start gave its place back"
            await served.close_tabs()
            assert await served.tab() == 101, "so a tab opened later is let in"

    asyncio.run(scenario())


def test_the_listener_reports_a_shortage_once_per_turn_of_the_loop() -> None:
    """asyncio's accept loop calls accept() up to 128 times after EMFILE, each scheduling a retry: only the first fails."""

    class Short(serve_module.Listener):
        calls = 0

        def _accept(self) -> NoReturn:
            Short.calls += 1
            raise OSError(errno.EMFILE, "Too many open files")

    async def scenario() -> list[str]:
        sock = Short(socket.AF_INET, socket.SOCK_STREAM)
        seen = []
        try:
            for _ in range(5):
                try:
                    sock.accept()
                except BlockingIOError:
                    seen.append("again")
                except OSError as error:
                    seen.append(errno.errorcode[present(error.errno)])
            await asyncio.sleep(0)  # the next turn of the loop
            with suppress(OSError):
                sock.accept()
            return seen
        finally:
            sock.close()

    assert asyncio.run(scenario()) == ["EMFILE"] + ["again"] * 4
    assert Short.calls == 2, "tried once in each turn"


def test_notices_are_one_line_per_kind_and_now_and_then() -> None:
    out = io.StringIO()
    now = [0.0]
    notices = serve_module.Notices(lambda: None, stream=out, clock=lambda: now[0])
    logger = logging.getLogger("test.serve.notices")
    logger.propagate = False
    logger.addHandler(notices)
    try:
        for _ in range(50):
            try:
                raise ValueError("boom\nsecond line")
            except ValueError:
                logger.exception("Error handling request from %s", "127.0.0.1")
        try:
            raise BadHttpMessage("Duplicate 'Host' header found")
        except BadHttpMessage:
            logger.exception("Error handling request from %s", "127.0.0.1")
        now[0] = serve_module.NOTICE_EVERY + 1
        logger.exception("Error handling request from %s", "127.0.0.1", exc_info=ValueError("again"))
    finally:
        logger.removeHandler(notices)
        logger.propagate = True
    lines = out.getvalue().splitlines()
    assert lines == [
        "sessionpal: Error handling request from 127.0.0.1 (ValueError: boom second line)",
        "sessionpal: Error handling request from 127.0.0.1 (ValueError: again) (and 49 more like it)",
    ], "a malformed request's own error is no notice at all"
