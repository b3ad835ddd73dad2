"""Who may manage sessions, through the core: `IPPO_ORGANIZERS` entries name a
person in one workspace (`discord:<guild>:<user>`, `slack:<team>:<user>`,
`console:<name>`), the older unscoped form still counts everywhere, and a
Slack admin's grant is read again from users.info after a few minutes, so a
demoted admin is refused."""

from __future__ import annotations

from adapters.slack.messenger import USER_FACTS_TTL_S, SlackMessenger, make_client
from adapters.slack.translate import actor_for
from bot.config import CoreConfig, OrganizerRule
from bot.model import Actor, Platform, UserRef
from bot.testing import Harness, Person, texts
from config.settings import Settings
from storage import SqlStore
from tests.corekit import build_core
from tests.fakes.slack_api import FakeSlackApi
from tests.sessionkit import add_session

GUILD_A, GUILD_B = "411111111111111111", "422222222222222222"
USER = "80351110224678912"
REFUSED = "Only organizers"


def config(*entries: str) -> CoreConfig:
    """The core's config as `ippo` builds it from IPPO_ORGANIZERS."""
    return Settings(organizers=", ".join(entries)).core_config()


def person(
    store: SqlStore,
    cfg: CoreConfig,
    platform: Platform,
    workspace: str,
    user: str,
    grants: frozenset[str] = frozenset(),
) -> Person:
    harness = Harness(build_core(store, config=cfg), platform=platform, workspace=workspace)
    return harness.member(user, locale="en-US", channel="C-study", grants=grants)


async def can_add(someone: Person) -> bool:
    opened = await someone.say("/ippo session add")
    if REFUSED in texts(opened):
        return False
    await add_session(someone, {"title": "Study group", "start": "2026-12-12 14:00"})
    return True


async def test_a_discord_organizer_is_one_in_their_guild_only(sqlite_store: SqlStore) -> None:
    cfg = config(f"discord:{GUILD_A}:{USER}")
    assert await can_add(person(sqlite_store, cfg, "discord", GUILD_A, USER))
    in_b = person(sqlite_store, cfg, "discord", GUILD_B, USER)
    assert not await can_add(in_b)
    refused = await in_b.submit("session:new", {"title": "x", "start": "2026-12-12 14:00"})
    assert REFUSED in texts(refused)
    async with sqlite_store.unit() as uow:
        assert len(await uow.sessions.in_workspace("discord", GUILD_A)) == 1
        assert await uow.sessions.in_workspace("discord", GUILD_B) == []


async def test_a_slack_organizer_is_one_in_their_workspace_only(sqlite_store: SqlStore) -> None:
    cfg = config("slack:T0001:U0BOSS")
    assert await can_add(person(sqlite_store, cfg, "slack", "T0001", "U0BOSS"))
    assert not await can_add(person(sqlite_store, cfg, "slack", "T0002", "U0BOSS"))
    assert not await can_add(person(sqlite_store, cfg, "slack", "T0001", "U0AKI"))


async def test_the_unscoped_form_still_counts_in_every_workspace(sqlite_store: SqlStore) -> None:
    cfg = config(f"discord:{USER}", "slack:U0BOSS")
    assert await can_add(person(sqlite_store, cfg, "discord", GUILD_A, USER))
    assert await can_add(person(sqlite_store, cfg, "discord", GUILD_B, USER))
    assert await can_add(person(sqlite_store, cfg, "slack", "T0002", "U0BOSS"))
    assert not await can_add(person(sqlite_store, cfg, "discord", GUILD_A, "1234"))


async def test_console_organizers_stay_as_they_were(sqlite_store: SqlStore) -> None:
    cfg = config("console:aki")
    assert await can_add(person(sqlite_store, cfg, "console", "console", "aki"))
    assert not await can_add(person(sqlite_store, cfg, "console", "console", "ken"))


def test_a_scoped_entry_is_not_read_as_another_platforms() -> None:
    rule = OrganizerRule(user_ids=frozenset({f"discord:{GUILD_A}:{USER}"}))
    assert rule.allows(Actor(UserRef("discord", GUILD_A, USER)))
    assert not rule.allows(Actor(UserRef("slack", GUILD_A, USER)))
    assert not rule.allows(Actor(UserRef("discord", "dm", USER)))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_demoted_slack_admin_is_refused_once_the_facts_are_read_again(
    sqlite_store: SqlStore,
) -> None:
    """The adapter's grant comes from users.info, cached USER_FACTS_TTL_S."""
    cfg = CoreConfig()  # organizers: workspace admins (and Discord's Manage Events)
    boss = UserRef("slack", "T0001", "U0BOSS")
    async with FakeSlackApi(users={"U0BOSS": {"is_admin": True}}) as fake:
        clock = Clock()
        messenger = SlackMessenger(client=make_client("xoxb-test", fake.api_url), monotonic=clock)

        async def boss_now() -> Person:
            who = await messenger.user(boss.workspace, boss.id)
            grants = actor_for(boss, who).grants
            return person(sqlite_store, cfg, "slack", boss.workspace, boss.id, grants)

        assert await can_add(await boss_now())
        fake.users["U0BOSS"]["is_admin"] = False  # demoted in Slack
        clock.now += USER_FACTS_TTL_S - 1
        assert await can_add(await boss_now())  # still the cached facts
        assert len(fake.calls_to("users.info")) == 1
        clock.now += 1
        assert not await can_add(await boss_now())
        assert len(fake.calls_to("users.info")) == 2
        fake.users["U0BOSS"]["is_owner"] = True  # and promoted again
        clock.now += USER_FACTS_TTL_S
        assert await can_add(await boss_now())


async def test_a_failed_lookup_after_expiry_keeps_hints_but_not_the_admin_flag() -> None:
    async with FakeSlackApi(
        users={"U0BOSS": {"is_admin": True, "tz": "Asia/Tokyo", "locale": "ja-JP"}}
    ) as fake:
        clock = Clock()
        messenger = SlackMessenger(
            client=make_client("xoxb-test", fake.api_url, rate_limit_retries=0), monotonic=clock
        )
        assert (await messenger.user("T0001", "U0BOSS")).admin
        clock.now += USER_FACTS_TTL_S
        fake.server_error("users.info", times=10)
        stale = await messenger.user("T0001", "U0BOSS")
        assert (stale.admin, stale.tz, stale.locale) == (False, "Asia/Tokyo", "ja-JP")
