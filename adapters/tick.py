"""`ippo tick [--at ISO-8601] [--db URL]`: recover, plan and send once, then exit.

Tests drive time with it, and a deployment without a long-running process can
run it from cron. On the console deployment the messages go to standard
output (`ConsoleMessenger`); the one-line summary goes to standard error so
the output stays just the messages.

`--at` without a UTC offset is read in the deployment's default timezone
(`IPPO_DEFAULT_TZ`, Asia/Tokyo unless set): "2026-11-30T09:30" is 09:30 there.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.console.messenger import ConsoleMessenger
from bot.delivery import Dispatcher, TickReport
from bot.features import scheduled_work
from bot.i18n import Messages
from bot.model import Platform
from bot.ports import Messenger
from config.catalog_loader import default_catalog_path, load_catalog
from config.settings import Settings
from storage import open_store, upgrade_database


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


async def tick_command(
    settings: Settings,
    at: datetime,
    out: TextIO,
    *,
    messengers: Mapping[Platform, Messenger] | None = None,
) -> TickReport:
    """Open the configured store, run one tick at `at`, close. Console
    messages are written to `out`; `messengers` adds platform messengers."""
    await upgrade_database(settings.database_url)
    store = open_store(settings.database_url)
    try:

        def write(line: str) -> None:
            out.write(line + "\n")
            out.flush()

        dispatcher = Dispatcher(
            store=store,
            catalog=load_catalog(settings.catalog_path or default_catalog_path()),
            config=settings.core_config(),
            messages=Messages.load(),
            work=scheduled_work(),
            messengers={"console": ConsoleMessenger(write), **(messengers or {})},
            clock=PinnedClock(at),
        )
        return await run_tick(dispatcher=dispatcher, at=at)
    finally:
        await store.close()


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
    report = await tick_command(settings, when, sys.stdout)
    print(summary(report), file=sys.stderr)
    return 0
