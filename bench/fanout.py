"""Benchmark: one weekly nudge to N members through the real Dispatcher and
messenger, against a fake Slack or Discord API that enforces the platform's
published limits. The fan-out itself is `tests/fanout.py` (the same one
tests/test_bench_fanout.py runs for a few thousand members in `make test`);
its docstring says what is timed and how the floor is reckoned.

    python -m bench.fanout --platform discord --members 10000
    python -m bench.fanout --platform slack --members 10000 --slack-budget 3000
    python -m bench.fanout --platform slack --members 30000 --slack-budget 3000 --workspaces 3

Prints one JSON line (see tests.fanout.run_fanout). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from typing import cast

from bot.model import Platform
from config.settings import load_settings
from tests.fanout import PLATFORMS, run_fanout


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout",
        description="send a nudge to N members through a fake Slack or Discord API",
    )
    parser.add_argument("--platform", choices=PLATFORMS, required=True)
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument(
        "--slack-budget",
        type=int,
        metavar="PER_MINUTE",
        help="chat.postMessage per workspace per minute, on the fake and in the messenger "
        "(default: IPPO_SLACK_MINUTE_BUDGET)",
    )
    parser.add_argument(
        "--workspaces",
        type=int,
        default=1,
        metavar="N",
        help="Slack: spread the members over N workspaces, each with its own budget "
        "(they are sent in parallel: N workspaces of M members take about as long as one)",
    )
    parser.add_argument("--refusing", type=int, default=0, help="members who refuse DMs")
    parser.add_argument(
        "--open-dms", action="store_true", help="Discord: no DM channel stored yet; open each"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    budget = args.slack_budget or load_settings().slack_minute_budget
    result = asyncio.run(
        run_fanout(
            cast(Platform, args.platform),
            args.members,
            slack_budget=budget,
            refusing=args.refusing,
            open_dms=args.open_dms,
            workspaces=args.workspaces,
        )
    )
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
