"""Turn the JSON lines the benchmarks printed into bench/RESULTS.md.

    python -m bench.report RUN.jsonl bench/RESULTS.md

Each line is recognised by its fields: bench.fanout's have "platform",
bench.slack_ack_latency's have "benchmark": "slack_ack_latency", bench.startup's
"benchmark": "startup", and
bench.plan_nudges' have "members_per_second". Other lines are ignored, so a
log with stray output still works. The machine (CPU model, cores, RAM,
Python, OS) and the date are read here, on the machine that ran them.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Row = dict[str, Any]
TARGET_RATIO = 1.1
PLAN_TARGET_S = 2.0  # for 100,000 due members
PLAN_TARGET_MB = 150.0
WHY = Path(__file__).with_name("why.md")


def read_lines(lines: Iterable[str]) -> list[Row]:
    found: list[Row] = []
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return None


def machine(now: datetime) -> list[str]:
    ram = ram_gib()
    return [
        "| | |",
        "|---|---|",
        f"| Date | {now:%Y-%m-%d %H:%M} UTC |",
        f"| CPU | {cpu_model()} |",
        f"| Cores | {os.cpu_count() or '?'} |",
        f"| RAM | {f'{ram:.1f} GiB' if ram is not None else '?'} |",
        f"| Python | {platform.python_version()} ({platform.python_implementation()}) |",
        f"| OS | {platform.platform()} |",
    ]


def _cell(value: Any) -> str:
    return "–" if value is None else str(value)


def fanout_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| Platform | Members | Limit enforced by the fake | Delivered | Duplicates | Lost "
        "| 429s | Wall (s) | Floor (s) | Wall / floor |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = r.get("ratio")
        verdict = "" if ratio is None else (" ✓" if ratio <= TARGET_RATIO else " ✗")
        lines.append(
            f"| {r['platform']} | {r['members']} | {r.get('limit', '')} | {r['delivered']} "
            f"| {r['duplicates']} | {r['lost']} | {r['429s']} | {r['wall_s']} "
            f"| {r['floor_s']} | {_cell(ratio)}{verdict} |"
        )
    return lines


def _verdict(ok: bool) -> str:
    return " ✓" if ok else " ✗"


def plan_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| Database | Members | Seconds | CPU (s) | Members / s | Peak RSS (MB) "
        "| Worst loop stall (ms) | Database floor (s) | Seconds / floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        at_target = r["members"] == 100_000
        seconds = f"{r['seconds']}" + (_verdict(r["seconds"] <= PLAN_TARGET_S) if at_target else "")
        rss = r.get("peak_rss_mb")
        memory = f"{rss}" + (
            _verdict(rss is not None and rss <= PLAN_TARGET_MB) if at_target else ""
        )
        lines.append(
            f"| {r.get('database', 'sqlite')} | {r['members']} | {seconds} "
            f"| {r.get('cpu_seconds', '')} | {r['members_per_second']} | {memory} "
            f"| {r.get('worst_loop_lag_ms', '')} | {r.get('floor_s', '')} "
            f"| {_ratio(r['seconds'], r.get('floor_s'))} |"
        )
    return lines


def _ratio(value: float, floor: float | None) -> str:
    return f"{value / floor:.2f}" if floor else ""


def coffee_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| Members | Departments | Rounds | Seconds | Per round (s) | Peak RSS (MB) "
        "| Same-department pairs | Repeats | Trios | Left out |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['members']} | {r['departments']} | {r['rounds']} | {r['seconds']} "
        f"| {r['seconds_per_round']} | {r['peak_rss_mb']} | {r['same_dept']} | {r['repeats']} "
        f"| {r['trios']} | {r['left_out']} |"
        for r in rows
    ]
    return lines


def ack_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| Requests | Concurrency | Bare Bolt p50 / p99 (ms) | ippo p50 / p99 (ms) "
        "| ippo / bare p50 | ippo / bare p99 |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        bare, ippo = r["bare_bolt"], r["ippo"]
        lines.append(
            f"| {r['requests']} | {r['concurrency']} | {bare['p50_ms']} / {bare['p99_ms']} "
            f"| {ippo['p50_ms']} / {ippo['p99_ms']} | {r['ratio_p50']} "
            f"| {r['ratio_p99']}{_verdict(r['ratio_p99'] <= 1.2)} |"
        )
    loaded = [r for r in rows if "ippo_loaded" in r]
    if loaded:
        lines += [
            "",
            "| Planned | Sent | ippo idle p99 (ms) | ippo loaded p50 / p99 (ms) "
            "| Loaded / idle p99 | Worst stall idle / loaded (ms) "
            "| Worst loaded stall on the loop's own CPU (ms) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
    for r in loaded:
        ippo, busy, load = r["ippo"], r["ippo_loaded"], r["load"]
        lines.append(
            f"| {load['planned']} | {load['sent']} | {ippo['p99_ms']} "
            f"| {busy['p50_ms']} / {busy['p99_ms']} "
            f"| {r['loaded_over_idle_p99']}{_verdict(r['loaded_over_idle_p99'] <= 2)} "
            f"| {ippo.get('worst_stall_ms')} / {busy.get('worst_stall_ms')}"
            f"{_verdict((busy.get('worst_stall_ms') or 0) <= 50)} "
            f"| {busy.get('worst_busy_stall_ms', '')} |"
        )
    return lines


def startup_table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| Start | Runs | `ippo --help` (s) | /healthz 200 (s) | /readyz 200 (s) | Idle RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        for label, start in (
            ("empty database", r.get("first_start")),
            ("restart", r.get("restart")),
        ):
            if not start:
                continue
            lines.append(
                f"| {label} | {r['runs']} | {r['help_s']}{_verdict(r['help_s'] <= 0.3)} "
                f"| {start['healthz_s']}{_verdict(start['healthz_s'] <= 1.0)} "
                f"| {start.get('readyz_s', '')} "
                f"| {start['idle_rss_mb']}{_verdict(start['idle_rss_mb'] <= 100)} |"
            )
    return lines


def render(rows: Sequence[Row], now: datetime) -> str:
    fanouts = [r for r in rows if "platform" in r and "wall_s" in r]
    plans = [r for r in rows if "members_per_second" in r]
    acks = [r for r in rows if r.get("benchmark") == "slack_ack_latency"]
    starts = [r for r in rows if r.get("benchmark") == "startup"]
    coffee = [r for r in rows if "same_dept" in r and "seconds_per_round" in r]
    out = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/report.py); each table is one run on this machine:",
        "",
        *machine(now),
        "",
        "## Nudge fan-out against fakes that enforce the platforms' limits",
        "",
        "`python -m bench.fanout` (tests/fanout.py): the real Dispatcher and the real Slack "
        "or Discord messenger, with their own pacing, send one nudge to each member through "
        "a fake API (tests/fakes) that answers 429 beyond the platform's published limits. "
        "*Floor* is the least time those limits allow for the requests the fan-out needs "
        "(L requests in any W seconds: (ceil(R / L) − 1) × W; see tests/fanout.py). "
        f"Target: wall / floor ≤ {TARGET_RATIO}, a few 429s at most, no duplicates, "
        "nothing lost.",
        "",
        *(fanout_table(fanouts) if fanouts else ["(not run)"]),
        "",
        "## Planning weekly nudges",
        "",
        "`python -m bench.plan_nudges` (bench/plan_nudges.py): `Dispatcher.plan` for N due "
        "members, in a child process of its own (so its peak memory is its own), on a fresh "
        "SQLite file or PostgreSQL schema. Target: 100,000 members in ≤ "
        f"{PLAN_TARGET_S:g} s at ≤ {PLAN_TARGET_MB:g} MB, cost linear in N. *Database floor* "
        "is the same database writing the same rows the plainest way (one INSERT … SELECT of "
        "N deliveries, one UPDATE of N members, no planning): planning cannot beat it.",
        "",
        *(plan_table(plans) if plans else ["(not run)"]),
        "",
        "## Slack slash-command acknowledgement latency",
        "",
        "`python -m bench.slack_ack_latency` (bench/slack_ack_latency.py): ippo's Slack app "
        "beside a bare Bolt app that only acks, same fake Web API, same signed requests; "
        "then ippo alone while the same process plans the weekly nudge and fans it out "
        "(the worst event-loop stall of each phase beside). Targets: ippo / bare p99 ≤ 1.2 "
        "idle, loaded / idle p99 ≤ 2, worst stall ≤ 50 ms.",
        "",
        *(ack_table(acks) if acks else ["(not run)"]),
        "",
        "## Start and memory",
        "",
        "`python -m bench.startup` (bench/startup.py): `ippo --help`, and `ippo run` with "
        "Slack (HTTP mode) and Discord against the fakes, from process start. Targets: "
        "--help ≤ 0.3 s, /healthz 200 ≤ 1.0 s, idle RSS ≤ 100 MB.",
        "",
        *(startup_table(starts) if starts else ["(not run)"]),
        "",
        "## Coffee matching",
        "",
        "`python -m bench.coffee` (bench/coffee.py): the matching of coffee introductions "
        "(bot/features/coffee/matching.py) for opted-in members over successive rounds, each "
        "round remembering the pairs of the rounds before (the no-repeat window).",
        "",
        *(coffee_table(coffee) if coffee else ["(not run)"]),
        "",
        "## Where a target is missed, and why",
        "",
        "(bench/why.md, written by hand after reading the figures above.)",
        "",
        WHY.read_text(encoding="utf-8").strip() if WHY.exists() else "(nothing written)",
        "",
    ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m bench.report RUN.jsonl RESULTS.md", file=sys.stderr)
        return 2
    source, target = Path(args[0]), Path(args[1])
    rows = read_lines(source.read_text(encoding="utf-8").splitlines())
    text = render(rows, datetime.now(UTC))
    target.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
