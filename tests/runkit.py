"""Running `ippo run` as a real process in tests.

The process gets a clean environment (no platform tokens, `IPPO_*` or
`DATABASE_URL` from the caller's shell) plus what the test passes, runs in a
scratch directory (so no developer's `.env` is read), and writes its logs to a
file there: a pipe nobody reads could fill up and stall it. Waiting is always
polling with a deadline, so the test's own event loop, where the fake
platform servers live, keeps running.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import IO, Any

import aiohttp

INHERITED_PREFIXES = ("SLACK_", "DISCORD_", "IPPO_", "DATABASE_URL")
LOG_TAIL = 4000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES)}
    env.update({"IPPO_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


class IppoProcess:
    """One `ippo run` process; logs go to `<workdir>/<name>.log`."""

    def __init__(self, env: Mapping[str, str], *, workdir: Path, name: str) -> None:
        self.env = clean_env(env)
        self.workdir = workdir
        self.log_path = workdir / f"{name}.log"
        self.name = name
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> IppoProcess:
        self._log = self.log_path.open("wb")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "adapters.main", "run"],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        return self

    @property
    def proc(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            raise RuntimeError(f"{self.name} was not started")
        return self._proc

    @property
    def port(self) -> int:
        return int(self.env["IPPO_HTTP_PORT"])

    def log_tail(self) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return f"--- {self.name} log (tail) ---\n{text[-LOG_TAIL:]}"

    def send_signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    async def exited(self, *, timeout_s: float) -> int:
        """The exit code, once the process has ended (fails after `timeout_s`)."""
        await until(
            lambda: self.proc.poll() is not None, f"{self.name} to exit", timeout_s=timeout_s
        )
        code = self.proc.returncode
        assert code is not None
        return code

    async def healthz(self, path: str = "/healthz") -> tuple[int, Any] | None:
        """(status, JSON body) of GET /healthz (or `path`), or None while
        nothing listens."""
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                return response.status, await response.json()
        except (aiohttp.ClientError, OSError):
            return None

    async def ready(self) -> bool:
        """Whether GET /readyz answers 200: ippo has opened the platforms and
        serves every route (/healthz answers earlier, while it starts)."""
        answer = await self.healthz("/readyz")
        return answer is not None and answer[0] == 200

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; for `finally` blocks."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                await until(
                    lambda: self.proc.poll() is not None, "exit after SIGTERM", timeout_s=15
                )
            except AssertionError:
                self._proc.kill()
                self._proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


async def until(
    check: Callable[[], bool | Awaitable[bool]],
    what: str,
    *,
    timeout_s: float,
    every_s: float = 0.01,
    process: IppoProcess | None = None,
) -> None:
    """Poll `check` until it is true; fail after `timeout_s`, or as soon as
    `process` has died, with its log."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if process is not None and process.proc.poll() is not None:
            raise AssertionError(
                f"{process.name} exited ({process.proc.returncode}) while waiting for {what}\n"
                + process.log_tail()
            )
        if loop.time() > deadline:
            tail = process.log_tail() if process is not None else ""
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}\n{tail}")
        await asyncio.sleep(every_s)
