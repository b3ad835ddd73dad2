"""`/ippo privacy` shows everything ippo stores about a member, and
`/ippo forget` leaves nothing of them (issue #13).

The schema is walked, not listed by hand: every table of `Base.metadata`
(ippo's own, the console inbox, slack_sdk's OAuth tables) with a column that
refers to a member must be named in `bot.features.privacy.STORED` (which
privacy fields show it) or in `NO_MEMBER_DATA` (why it holds none). A new
table with member data fails here until privacy shows it. Then one member
fills every table of `STORED` through the real features, and forgetting
them must leave no row that refers to them.
"""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, select

from adapters.console.messenger import ConsoleMessenger
from bot.features.privacy import FIELDS, NO_MEMBER_DATA, STORED
from bot.model import Field, split_members
from bot.testing import FixedClock, Harness, texts
from storage import SqlStore
from storage.console_inbox import SqlConsoleInbox
from storage.tables import Base
from tests.corekit import START, build_core, build_dispatcher
from tests.sessionkit import CHANNEL, CONFIG, add_session, fill_form

I18N = Path(__file__).parent.parent / "bot" / "i18n"

# A column names a person when it is a foreign key to members.id or looks
# like a platform user id: user_id, bot_user_id, member_id, organizer_id,
# to_id (a DM's recipient), seen_by, created_by, author_id, owner_id…
PERSON_COLUMN = re.compile(
    r"(^|_)(user|member|organizer|author|owner|installer|recipient|person)(_ids?)?$"
    r"|_by$|^to_id$"
)


def member_columns(table: Table) -> list[Column[Any]]:
    return [
        c
        for c in table.columns
        if any(fk.target_fullname == "members.id" for fk in c.foreign_keys)
        or PERSON_COLUMN.search(c.name)
        or (table.name == "members" and c.name == "id")
    ]


def tables() -> dict[str, Table]:
    return dict(Base.metadata.tables)


def test_every_table_with_member_data_is_shown_by_privacy() -> None:
    missing = []
    for name, table in sorted(tables().items()):
        columns = [c.name for c in member_columns(table)]
        if columns and name not in STORED and name not in NO_MEMBER_DATA:
            missing.append(
                f"table {name!r} refers to members ({', '.join(columns)}) but /ippo privacy "
                f"does not say so: show it in a field of bot/features/privacy.py "
                f"(privacy_command, FIELDS, privacy.f.<key> in bot/i18n/*/core.toml) and add "
                f"{name!r}: ('<field key>',) to STORED there; if it holds no member's data, "
                f"add it to NO_MEMBER_DATA with the reason; make sure /ippo forget deletes it "
                f"and fill it in test_forget_leaves_nothing_of_the_member"
            )
    assert not missing, "\n".join(missing)


def test_the_privacy_mapping_is_current() -> None:
    known = tables()
    assert not set(STORED) & set(NO_MEMBER_DATA), "a table is both stored and exempt"
    for name in [*STORED, *NO_MEMBER_DATA]:
        assert name in known, f"{name!r} is named in bot/features/privacy.py but is no table"
    for name in NO_MEMBER_DATA:
        assert not any(
            fk.target_fullname == "members.id" for c in known[name].columns for fk in c.foreign_keys
        ), f"{name!r} has a foreign key to members, so it holds member data"
        assert NO_MEMBER_DATA[name].strip(), f"say why {name!r} holds no member data"
    for name, keys in STORED.items():
        assert keys, f"{name!r} is shown by no privacy field"
        for key in keys:
            assert key in FIELDS, f"{name!r} is shown by {key!r}, which is not a privacy field"
    for lang in ("en", "ja"):
        catalog = tomllib.loads((I18N / lang / "core.toml").read_text("utf-8"))
        labels = catalog["privacy"]["f"]
        assert set(labels) == set(FIELDS), f"privacy.f in {lang}/core.toml != FIELDS"


# --------------------------------------------------------------------------- forget


async def rows_about(store: SqlStore, member_id: int, user_id: str) -> dict[str, list[str]]:
    """Every row, in every table the mapping names, that refers to the member:
    by members.id (a foreign key, or the members row itself) or by user id
    (a column, a JSON list of user ids such as `seen_by`, or one of a group's
    members joined by ",")."""
    found: dict[str, list[str]] = {}
    async with store.engine.connect() as conn:
        for name, table in tables().items():
            columns = member_columns(table)
            if not columns:
                continue
            for row in (await conn.execute(select(table))).mappings():
                hits = []
                for c in columns:
                    value = row[c.name]
                    by_id = c.foreign_keys or (name == "members" and c.name == "id")
                    if (by_id and value == member_id) or (not by_id and names(value, user_id)):
                        hits.append(c.name)
                if hits:
                    found.setdefault(name, []).append(f"{', '.join(hits)}: {dict(row)}")
    return found


def names(value: object, user_id: str) -> bool:
    """A user-id column names the person: exactly, in a JSON list of ids
    (`seen_by`), or among a group's members joined by "," (a group
    destination's `to_id`, `bot.model.GroupRef.joined`)."""
    if isinstance(value, str):
        return user_id in split_members(value)
    return isinstance(value, list) and user_id in value


def field_values(replies: list[Any]) -> dict[str, str]:
    fields: tuple[Field, ...] = replies[0].message.fields
    return {f.label: f.value for f in fields}


async def test_forget_leaves_nothing_of_the_member(sqlite_store: SqlStore) -> None:
    clock = FixedClock(START)
    core = build_core(sqlite_store, clock=clock, config=CONFIG)
    inbox = SqlConsoleInbox(sqlite_store.engine)
    dispatcher = build_dispatcher(core, {"console": ConsoleMessenger(inbox=inbox, clock=clock)})
    org = Harness(core).member("org", locale="en", channel=CHANNEL)

    await org.say("/ippo why 1 3")  # members: reasons
    await org.say("/ippo done Read the staff plan note: short and kind")  # journey + note
    await org.say("/ippo nudge on")
    await org.say("/ippo sessions feed")  # feed_tokens
    await org.say("/ippo coffee on")  # coffee_prefs
    await org.say("/ippo coffee avoid someone")  # coffee_avoids (theirs)
    await org.say("/ippo coffee channel #coffee")  # coffee_channels (set_by)
    pal = Harness(core).member("pal", locale="en")
    await pal.say("/ippo coffee on")
    await pal.say("/ippo coffee avoid org")  # coffee_avoids naming them: gone with them
    for other in ("cat", "dan"):  # org meets one of them in the coffee round
        await Harness(core).member(other, locale="en").say("/ippo coffee on")
    await add_session(org, {"title": "Evening study group", "start": "2026-11-28 19:00"})
    await fill_form(org, {"title": "Not saved yet", "start": "2026-12-05 19:00"})  # a draft
    await dispatcher.tick(clock.now(), budget_s=30)  # the announcement
    posts = [i for i in await inbox.take_unshown("org", now=clock.now())]  # seen_by
    going = next(a for i in posts for a in i.actions if a.startswith("rsvp:going:"))
    await org.press(going)  # rsvps
    clock.set(START + timedelta(days=6))  # Monday 2026-11-30 10:00 in Tokyo
    await dispatcher.tick(clock.now(), budget_s=30)  # deliveries + the DM in console_inbox
    # ... and the coffee round of that week, planned as it opens: coffee_seats

    async with sqlite_store.unit() as uow:
        member = await uow.members.get(org.actor.user)
    assert member is not None
    before = await rows_about(sqlite_store, member.id, "org")
    unfilled = set(STORED) - set(before)
    assert not unfilled, f"fill these tables for the member in this test: {sorted(unfilled)}"

    shown = field_values(await org.say("/ippo privacy"))
    none = {label for label, value in shown.items() if value in ("none", "nothing logged yet")}
    assert not none, f"privacy shows nothing for {none} although every table is filled"
    assert "Evening study group" in shown["Sessions you organize"]
    assert shown["Unsaved sessions"] == "1 filled in but not saved"
    assert shown["Sessions"] == "1 answer"

    gone = await org.press(await org.say("/ippo forget"), "privacy:forget-yes")
    assert "Everything is deleted" in texts(gone)
    after = await rows_about(sqlite_store, member.id, "org")
    assert not after, "forget left rows about the member:\n" + "\n".join(
        f"{t}: {r}" for t, rows in after.items() for r in rows
    )
    async with sqlite_store.unit() as uow:  # the session stays for the others
        assert [s.title for s in await uow.sessions.in_workspace("console", "console")] == [
            "Evening study group"
        ]

    again = field_values(await org.say("/ippo privacy"))  # a fresh member: nothing stored
    assert again["Journey"] == "nothing logged yet"
    for label in (
        "Reasons",
        "Messages to you",
        "Sessions",
        "Sessions you organize",
        "Unsaved sessions",
        "Calendar feed",
    ):
        assert again[label] == "none", (label, again[label])
