"""`sessionpal serve` as a coach starts it: a real server process, its printed link, and a clean stop."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import psutil
import pytest

from sessionpal.core.clients import create_client
from sessionpal.core.paths import Home

from ..helpers import env_without_home

T = TypeVar("T")


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str  # the whole link, token included
    home: Home

    @property
    def origin(self) -> str:
        return self.url.split("/", 3)[0] + "//" + self.url.split("/", 3)[2]

    def apps(self) -> list[psutil.Process]:
        """The app processes the server started (one per tab)."""
        try:
            return [p for p in psutil.Process(self.process.pid).children(recursive=True) if "sessionpal" in " ".join(p.cmdline())]
        except psutil.NoSuchProcess:
            return []

    def stop(self, how: int = signal.SIGINT) -> int:
        self.process.send_signal(how)
        return self.process.wait(timeout=30)


@contextmanager
def serving(home: Home, *args: str) -> Iterator[Served]:
    """`sessionpal serve --no-browser` on a free port; stopped (and checked to be stopped) at the end."""
    env = env_without_home() | {"PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sessionpal", "serve", "--home", str(home.root), "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = _printed_link(process)
        yield Served(process, url, home)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _printed_link(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("http://"):
            return line.strip()
    error = process.stderr.read() if process.poll() is not None and process.stderr else ""
    raise AssertionError(f"`sessionpal serve` printed no link: {error}")


def wait_for(condition: Callable[[], object], timeout: float = 30.0, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def lock_files(home: Home) -> list[str]:
    return sorted(str(p) for p in home.clients_dir.rglob("session.lock")) if home.clients_dir.exists() else []


@pytest.fixture
def ana_home(home: Home) -> Home:
    create_client(home, "Ana Pérez", session_minutes=45)
    return home


def alive(processes: list[psutil.Process]) -> list[int]:
    found = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return found


class Tab:
    """A browser tab's websocket, without the browser: what the page sends, from a thread of its own."""

    def __init__(self, served: Served, width: int = 120, height: int = 36):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.screen = bytearray()
        self.closed = threading.Event()
        url = served.url.replace("http://", "ws://") + f"ws?width={width}&height={height}"
        self.session, self.socket = self._run(self._connect(url, served.origin))
        asyncio.run_coroutine_threadsafe(self._read(), self.loop)

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _connect(self, url: str, origin: str) -> tuple[aiohttp.ClientSession, aiohttp.ClientWebSocketResponse]:
        session = aiohttp.ClientSession()
        return session, await session.ws_connect(url, headers={"Origin": origin})

    async def _read(self) -> None:
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen.extend(message.data)  # the app's output, as xterm.js would draw it
        self.closed.set()

    def type(self, text: str) -> None:
        self._run(self.socket.send_json(["stdin", text]))

    def close(self) -> None:
        async def close() -> None:
            await self.socket.close()
            await self.session.close()

        self._run(close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
