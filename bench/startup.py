"""Start and memory: how fast `ippo --help` answers, how soon `ippo run` with
Slack (HTTP mode) and Discord answers /healthz, and what it holds when idle.

`ippo run` starts as a real process (tests.runkit.IppoProcess: a clean
environment, a scratch directory, a fresh SQLite file) against the local fake
Slack Web API, Discord REST API and Discord gateway, served by this process.

- help_s: wall time of `ippo --help` (the installed script, else
  `python -m adapters.main`), the median of `--runs`;
- first_answer_s / healthz_s: from starting the process to the first answer
  of GET /healthz, and to the first 200 (the median of `--runs`): the HTTP
  server listens before ippo migrates and opens the platforms
  (adapters.runtime.serve), and /healthz answers from then on;
- readyz_s: to the first 200 of GET /readyz: migrated, platforms open, every
  route served (the median of `--runs`);
- idle_rss_mb: the process's resident memory `--idle` seconds after /healthz
  answered 200, once the gateway has identified (the largest of `--runs`).

Each figure is given for the first start (an empty database: the migrations
run) and for a restart on the same database (at head: every later start).

With `--importtime` the last run sets PYTHONPROFILEIMPORTTIME and the output
adds the slowest imports of `ippo run` (cumulative ms, top `--top`).

    python -m bench.startup [--runs 3] [--idle 3] [--importtime]

Prints one JSON line. Targets (issue #16): help_s <= 0.3, healthz_s <= 1.0,
idle_rss_mb <= 100 (readyz_s has none: it is printed so that the early
/healthz hides nothing). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.discord_gateway import FakeDiscordGateway
from tests.fakes.slack_api import FakeSlackApi
from tests.runkit import IppoProcess, clean_env, free_port, until

SCRIPT = Path(sys.executable).with_name("ippo")
POLL_S = 0.005


def ippo_command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "adapters.main"]


def help_seconds(workdir: Path) -> float:
    began = time.perf_counter()
    subprocess.run(
        [*ippo_command(), "--help"],
        cwd=workdir,
        env=clean_env({}),
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - began


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc: Linux only")


def slowest_imports(log: str, top: int) -> list[dict[str, Any]]:
    """The `top` largest cumulative import times in a PYTHONPROFILEIMPORTTIME log."""
    rows: list[dict[str, Any]] = []
    for line in log.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append({"module": name.strip(), "cumulative_ms": round(int(cumulative) / 1000, 1)})
    rows.sort(key=lambda row: -row["cumulative_ms"])
    return rows[:top]


async def one_run(
    workdir: Path, *, idle_s: float, importtime: bool, name: str = "startup"
) -> dict[str, Any]:
    async with (
        FakeSlackApi() as slack,
        FakeDiscordApi() as discord,
        FakeDiscordGateway() as gateway,
    ):
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench-startup",
            "SLACK_SIGNING_SECRET": "bench-startup-secret",
            "IPPO_SLACK_API_URL": slack.api_url,
            "DISCORD_TOKEN": "bench-startup-discord-token",
            "IPPO_DISCORD_API_URL": discord.base_url,
            "IPPO_DISCORD_GATEWAY_URL": gateway.url,
            "IPPO_HTTP_HOST": "127.0.0.1",
            "IPPO_HTTP_PORT": str(free_port()),
            "DATABASE_URL": f"sqlite:///{workdir / 'ippo.db'}",
        }
        if importtime:
            env["PYTHONPROFILEIMPORTTIME"] = "1"
        process = IppoProcess(env, workdir=workdir, name=name)
        began = time.perf_counter()
        process.start()
        first_answer: float | None = None
        try:
            while True:
                answer = await process.healthz()
                now = time.perf_counter() - began
                if answer is not None and first_answer is None:
                    first_answer = now
                if answer is not None and answer[0] == 200:
                    healthy = now
                    break
                if process.proc.poll() is not None or now > 60:
                    raise RuntimeError(f"ippo run never answered 200\n{process.log_tail()}")
                await asyncio.sleep(POLL_S)
            while not await process.ready():
                if process.proc.poll() is not None or time.perf_counter() - began > 60:
                    raise RuntimeError(f"ippo run never got ready\n{process.log_tail()}")
                await asyncio.sleep(POLL_S)
            ready = time.perf_counter() - began
            await until(lambda: bool(gateway.identified), "IDENTIFY", timeout_s=30, process=process)
            await asyncio.sleep(idle_s)
            rss = rss_mb(process.proc.pid)
        finally:
            await process.stop()
        result: dict[str, Any] = {
            "first_answer_s": round(first_answer or healthy, 3),
            "healthz_s": round(healthy, 3),
            "readyz_s": round(ready, 3),
            "idle_rss_mb": round(rss, 1),
        }
        if importtime:
            result["log"] = process.log_path.read_text(errors="replace")
        return result


def figures(starts: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the times, the largest RSS, and each run's figures."""
    keys = ("first_answer_s", "healthz_s", "readyz_s")
    result: dict[str, Any] = {k: round(statistics.median(s[k] for s in starts), 3) for k in keys}
    result["idle_rss_mb"] = max(s["idle_rss_mb"] for s in starts)
    result["each"] = {k: [s[k] for s in starts] for k in ("healthz_s", "readyz_s", "idle_rss_mb")}
    return result


async def run(runs: int, idle_s: float, importtime: bool, top: int) -> dict[str, Any]:
    """Each run starts `ippo run` on an empty database (the first start: the
    migrations run, and Alembic stays loaded), stops it, and starts it again
    on the same file (a restart: the database is at head, Alembic is never
    loaded); both are reported."""
    with tempfile.TemporaryDirectory(prefix="ippo-startup-") as tmp:
        root = Path(tmp)
        helps = [help_seconds(root) for _ in range(max(runs, 3))]
        firsts, restarts = [], []
        for i in range(runs):
            workdir = root / f"run{i}"
            workdir.mkdir()
            firsts.append(await one_run(workdir, idle_s=idle_s, importtime=False))
            restarts.append(await one_run(workdir, idle_s=idle_s, importtime=False, name="restart"))
        result: dict[str, Any] = {
            "benchmark": "startup",
            "runs": runs,
            "help_s": round(statistics.median(helps), 3),
            "help_each": [round(h, 3) for h in helps],
            "first_start": figures(firsts),
            "restart": figures(restarts),
        }
        if importtime:
            workdir = root / "importtime"
            workdir.mkdir()
            profiled = await one_run(workdir, idle_s=0.0, importtime=True)
            result["slowest_imports"] = slowest_imports(profiled["log"], top)
        return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=3.0, help="seconds idle before the RSS")
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args.runs, args.idle, args.importtime, args.top))))


if __name__ == "__main__":
    main()
