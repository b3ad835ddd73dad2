"""`ippo tick [--at ISO-8601] [--db URL]`: recover, plan and send once, then exit.

Tests drive time with it, and a deployment without a long-running process can
run it from cron. It sends through every configured platform with the very
messengers `ippo run` uses (`adapters.runtime.platforms.open_platforms`: the same
pacing, Slack token source — one bot token or the OAuth installs — and
Discord REST client, logged in without a gateway connection), and closes their
clients before it exits. Messages for console members and channels are kept
in the console inbox (`ippo chat` shows them to the member, buttons and all)
and also go to standard output (`ConsoleMessenger`, `→ @name:` / `→ #channel:`
lines); the one-line summary goes to standard error so the output stays just
the messages.

`--at` without a UTC offset is read in the deployment's default timezone
(`IPPO_DEFAULT_TZ`, Asia/Tokyo unless set): "2026-11-30T09:30" is 09:30 there.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.console.messenger import ConsoleMessenger
from adapters.main import Runtime, open_runtime
from adapters.runtime.platforms import PlatformSetupError, open_platforms
from adapters.runtime.serve import build_dispatcher
from bot.delivery import Dispatcher, TickReport
from config.settings import Settings
from storage.console_inbox import SqlConsoleInbox


class PinnedClock:
    """The clock of one tick: always the `--at` time."""

    def __init__(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at


def parse_at(raw: str | None, default_tz: str) -> datetime:
    """`--at` as an aware UTC datetime; now when not given. Raises ValueError."""
    if not raw:
        return datetime.now(UTC)
    value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(default_tz))
    return value.astimezone(UTC)


async def run_tick(*, dispatcher: Dispatcher, at: datetime) -> TickReport:
    """One full tick at `at`: recover, plan, send everything that is due."""
    return await dispatcher.tick(at, budget_s=600.0)


def summary(report: TickReport) -> str:
    sent, rec = report.sent, report.recovered
    return (
        f"ippo tick at {report.at.isoformat()}: planned {report.planned}, "
        f"sent {sent.sent}, updated {sent.updated}, retry later {sent.retried}, "
        f"skipped {sent.skipped}, failed {sent.failed}, "
        f"recovered {rec.found} found / {rec.resend} to resend"
    )


def console_messenger(runtime: Runtime, write: Callable[[str], None]) -> ConsoleMessenger:
    """Console members' messages: into the console inbox, where `ippo chat`
    shows them, and each written with its destination (`→ @name:`)."""
    inbox = SqlConsoleInbox(runtime.store.engine)
    return ConsoleMessenger(inbox=inbox, clock=runtime.core.clock, echo=write)


async def tick_command(
    settings: Settings,
    at: datetime,
    out: TextIO,
) -> TickReport:
    """Open the configured store and platforms, run one tick at `at`, close
    them. Console messages are written to `out`."""

    def write(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    runtime = await open_runtime(settings, clock=PinnedClock(at))
    try:
        async with open_platforms(runtime, serving=False) as platforms:
            dispatcher = build_dispatcher(
                runtime,
                {"console": console_messenger(runtime, write), **platforms.messengers},
            )
            return await run_tick(dispatcher=dispatcher, at=at)
    finally:
        await runtime.close()


async def tick_main(settings: Settings, *, at: str | None) -> int:
    """The body of `ippo tick`; exit status 2 for an unreadable `--at`."""
    try:
        when = parse_at(at, settings.default_tz)
    except ValueError:
        print(
            f"ippo tick: --at {at!r} is not an ISO-8601 time "
            "(for example: --at 2026-11-30T09:30+09:00)",
            file=sys.stderr,
        )
        return 2
    try:
        report = await tick_command(settings, when, sys.stdout)
    except PlatformSetupError as err:
        print(f"ippo tick: configuration: {err}", file=sys.stderr)
        return 1
    print(summary(report), file=sys.stderr)
    return 0
