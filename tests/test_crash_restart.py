"""`ippo run` stopped in the middle of a nudge fan-out — killed outright or
asked to stop — and started again: every member gets exactly one nudge.

A real `ippo run` process (Slack HTTP mode) sends to a fake Slack Web API in
this test's event loop. The fake posts each message at once but answers after
a short delay, so at any moment of the fan-out one message is usually posted
but not yet recorded: the kill lands there on purpose. After the restart,
recovery (`IPPO_RECOVER_AFTER_S`, shortened here) must find that message in
`conversations.history` by the delivery key in its metadata, not send it
again, and must send what the first process claimed but never posted.

The database is a SQLite file, or a fresh PostgreSQL schema when
`TEST_DATABASE_URL` is set.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.model import NudgePrefs, UserRef
from bot.ports import DeliveryStatus
from storage import SqlStore, open_store, upgrade_database
from storage.tables import DeliveryRow
from tests.conftest import postgres_base_url, postgres_schema, sqlite_url
from tests.fakes.slack_api import FakeSlackApi
from tests.fanout import noon_zone
from tests.runkit import IppoProcess, free_port, until

TEAM = "T0001"
MEMBERS = 300
POST_DELAY_S = 0.02  # the fake answers each chat.postMessage this long after posting it
# Messages posted before the signal: mid-batch (the dispatcher claims 50 at a
# time), so some claimed deliveries were posted and some not.
INTERRUPT_AT = 125
RECOVER_AFTER_S = 1.0
STOP_LIMIT_S = 10.0  # SIGTERM to exit
PATIENCE_S = 90.0  # generous: a loaded two-core machine


@dataclass
class Run:
    """What a test needs at hand: the fake, the database, the processes."""

    fake: FakeSlackApi
    url: str
    store: SqlStore
    workdir: Path
    users: list[str]

    def process(self, name: str) -> IppoProcess:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-crash-test",
            "SLACK_SIGNING_SECRET": "crash-test-secret",
            "IPPO_SLACK_API_URL": self.fake.api_url,
            "IPPO_HTTP_HOST": "127.0.0.1",
            "IPPO_HTTP_PORT": str(free_port()),
            "DATABASE_URL": self.url,
            "IPPO_DEFAULT_LANG": "en",
            "IPPO_RECOVER_AFTER_S": str(RECOVER_AFTER_S),
            "IPPO_SEND_INTERVAL_S": "1",
            # Pacing is not under test here: no minute budget gets in the way.
            "IPPO_SLACK_MINUTE_BUDGET": "100000",
        }
        return IppoProcess(env, workdir=self.workdir, name=name).start()

    def posts(self) -> list[str]:
        """The user id of every chat.postMessage the fake received."""
        return [str(body["channel"]) for body in self.fake.calls_to("chat.postMessage")]

    async def status_counts(self) -> Counter[str]:
        d = DeliveryRow.__table__.c
        async with self.store.engine.connect() as conn:
            rows = await conn.execute(select(d.status, func.count()).group_by(d.status))
            return Counter({str(status): int(n) for status, n in rows})

    async def all_sent(self) -> bool:
        return (await self.status_counts())[DeliveryStatus.SENT.value] == MEMBERS

    async def recorded(self) -> dict[str, tuple[str | None, str | None]]:
        """user id -> (channel id, message ts) recorded on its delivery."""
        d = DeliveryRow.__table__.c
        async with self.store.engine.connect() as conn:
            rows = await conn.execute(select(d.to_id, d.channel_id, d.message_id))
            return {str(to): (channel, ts) for to, channel, ts in rows}


async def seed(store: SqlStore, users: list[str], now: datetime) -> None:
    """Members with nudges on, each due a minute ago."""
    zone = noon_zone(now)  # far from midnight: the nudge is not expired
    due = now - timedelta(minutes=1)
    local = due.astimezone(ZoneInfo(zone))
    prefs = NudgePrefs(enabled=True, weekday=local.weekday(), time=local.strftime("%H:%M"))
    async with store.unit() as uow:
        for user_id in users:
            member = await uow.members.create(
                UserRef("slack", TEAM, user_id), lang="en", tz=zone, display_name=user_id, now=now
            )
            await uow.members.save(replace(member, nudge=prefs, next_nudge_at=due))


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    base = postgres_base_url()
    if base is None:
        yield sqlite_url(tmp_path)
        return
    async with postgres_schema(base) as url:
        yield url


@pytest.fixture
async def run(tmp_path: Path, database_url: str) -> AsyncIterator[Run]:
    await upgrade_database(database_url)
    store = open_store(database_url)
    users = [f"U{i:05d}" for i in range(MEMBERS)]
    try:
        await seed(store, users, datetime.now(UTC))
        async with FakeSlackApi(team_id=TEAM) as fake:
            fake.slow("chat.postMessage", POST_DELAY_S)
            yield Run(fake, database_url, store, tmp_path, users)
    finally:
        await store.close()


async def interrupt_mid_fan_out(run: Run, sig: signal.Signals) -> tuple[IppoProcess, list[str]]:
    """Start `ippo run`, wait until `INTERRUPT_AT` nudges are posted with one
    awaiting its answer, and send `sig`. Returns the process and the user ids
    whose message was posted but not yet answered at that instant."""
    first = run.process("first")
    try:
        await until(
            lambda: len(run.posts()) >= INTERRUPT_AT and bool(run.fake.unanswered),
            f"{INTERRUPT_AT} nudges posted, one awaiting its answer",
            timeout_s=PATIENCE_S,
            every_s=0.002,
            process=first,
        )
    except BaseException:
        await first.stop()
        raise
    # No await between looking and signalling: the fake lives in this loop,
    # so nothing reaches it in between.
    caught = [str(body["channel"]) for body in run.fake.unanswered]
    first.send_signal(sig)
    return first, caught


async def restart_until_all_sent(run: Run) -> None:
    second = run.process("second")
    try:
        await until(
            run.all_sent,
            "every nudge recorded as sent",
            timeout_s=PATIENCE_S,
            every_s=0.1,
            process=second,
        )
        second.send_signal(signal.SIGTERM)
        assert await second.exited(timeout_s=STOP_LIMIT_S) == 0, second.log_tail()
    finally:
        await second.stop()


def assert_exactly_one_each(run: Run) -> None:
    posted = Counter(run.posts())
    assert posted == Counter(run.users), {u: n for u, n in posted.items() if n != 1}
    # Each DM holds that one message, which Slack accepted.
    dms = {"D" + user[1:] for user in run.users}
    assert {channel: len(run.fake.history[channel]) for channel in dms} == dict.fromkeys(dms, 1)


async def assert_recorded_as_posted(run: Run) -> None:
    """Every delivery is SENT with the channel and ts of the message in the DM."""
    assert await run.status_counts() == Counter({DeliveryStatus.SENT.value: MEMBERS})
    recorded = await run.recorded()
    expected = {
        user: ("D" + user[1:], run.fake.history["D" + user[1:]][0]["ts"]) for user in run.users
    }
    assert recorded == expected


async def test_sigkill_mid_fan_out_then_restart_sends_each_nudge_once(run: Run) -> None:
    first, caught = await interrupt_mid_fan_out(run, signal.SIGKILL)
    try:
        assert await first.exited(timeout_s=STOP_LIMIT_S) == -signal.SIGKILL
    finally:
        await first.stop()
    before = len(run.posts())
    assert INTERRUPT_AT <= before < MEMBERS, "the kill did not land mid-fan-out"
    assert caught, "no message was awaiting its answer at the kill"
    left = await run.status_counts()
    assert left[DeliveryStatus.SENDING.value] > len(caught), "nothing claimed was left unposted"
    posted_at_kill = {user: run.fake.history["D" + user[1:]][0]["ts"] for user in caught}

    await restart_until_all_sent(run)

    assert_exactly_one_each(run)
    await assert_recorded_as_posted(run)
    # The messages that went out unanswered were found by their key, not resent.
    recorded = await run.recorded()
    assert {user: recorded[user][1] for user in caught} == posted_at_kill
    looked_up = {str(b["channel"]) for b in run.fake.calls_to("conversations.history")}
    assert {"D" + user[1:] for user in caught} <= looked_up


async def test_sigterm_mid_fan_out_exits_0_promptly_and_restart_sends_each_once(
    run: Run,
) -> None:
    first, _ = await interrupt_mid_fan_out(run, signal.SIGTERM)
    try:
        loop_time = asyncio.get_running_loop().time
        asked = loop_time()
        code = await first.exited(timeout_s=STOP_LIMIT_S + 5)
        took = loop_time() - asked
        assert code == 0, first.log_tail()
        assert took < STOP_LIMIT_S, f"SIGTERM to exit took {took:.1f} s"
    finally:
        await first.stop()
    assert len(run.posts()) >= INTERRUPT_AT

    await restart_until_all_sent(run)

    assert_exactly_one_each(run)
    await assert_recorded_as_posted(run)
