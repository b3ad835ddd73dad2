"""The sessions repository on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.features.sessions.model import (
    OccurrenceChange,
    Rsvp,
    RsvpStatus,
    SessionFields,
    SessionStatus,
)
from bot.model import ChannelRef, UserRef
from bot.ports import NewDelivery
from storage import SqlStore

NOW = datetime(2026, 11, 24, 1, tzinfo=UTC)
START = datetime(2026, 12, 3, 10, tzinfo=UTC)
ROOM = ChannelRef("slack", "T1", "C1")


async def test_sessions_rsvps_changes_and_drafts(store: SqlStore) -> None:
    fields = SessionFields("勉強会", START, 90, "Asia/Tokyo", capacity=2, rrule="FREQ=WEEKLY")
    async with store.unit() as uow:
        aki = await uow.members.create(
            UserRef("slack", "T1", "U1"), lang="ja", tz="Asia/Tokyo", display_name="", now=NOW
        )
        ben = await uow.members.create(
            UserRef("slack", "T1", "U2"), lang="en", tz="UTC", display_name="", now=NOW
        )
        s = await uow.sessions.create(
            fields, uid="a@ippo", channel=ROOM, organizer=aki.user, lang="ja", now=NOW
        )
        await uow.sessions.create(
            fields,
            uid="b@ippo",
            channel=ChannelRef("slack", "T2", "C1"),
            organizer=None,
            lang="ja",
            now=NOW,
        )
    async with store.unit() as uow:
        assert [x.uid for x in await uow.sessions.in_workspace("slack", "T1")] == ["a@ippo"]
        assert (await uow.sessions.get_by_uid("slack", "T1", "a@ippo")) == s
        assert await uow.sessions.get_by_uid("slack", "T2", "a@ippo") is None
        assert len(await uow.sessions.due_for_planning(NOW, 10)) == 2
        await uow.sessions.set_next_plan(s.id, NOW + timedelta(days=1))
        assert [x.uid for x in await uow.sessions.due_for_planning(NOW, 10)] == ["b@ippo"]
        await uow.sessions.save(replace(s, status=SessionStatus.CANCELLED, version=2), plan_at=NOW)
        saved = await uow.sessions.get(s.id)
        assert saved is not None and saved.status is SessionStatus.CANCELLED

        await uow.sessions.set_change(OccurrenceChange(s.id, START, None, True))
        moved = OccurrenceChange(s.id, START, START + timedelta(hours=1), False)
        await uow.sessions.set_change(moved)  # replaces
        assert list(await uow.sessions.changes(s.id)) == [moved]

        await uow.sessions.set_rsvp(Rsvp(s.id, START, aki.id, RsvpStatus.GOING, NOW))
        await uow.sessions.set_rsvp(Rsvp(s.id, START, ben.id, RsvpStatus.MAYBE, NOW))
        await uow.sessions.set_rsvp(
            Rsvp(s.id, START, ben.id, RsvpStatus.WAITLISTED, NOW + timedelta(minutes=1))
        )
        counts = await uow.sessions.counts(s.id, START)
        assert (counts.going, counts.maybe, counts.waitlisted) == (1, 0, 1)
        waiting = await uow.sessions.rsvps(s.id, START, statuses=frozenset({RsvpStatus.WAITLISTED}))
        assert [r.member_id for r in waiting] == [ben.id]

        draft = await uow.sessions.add_draft(
            author_member_id=aki.id, channel=ROOM, target=s.id, values={"title": "x"}, now=NOW
        )
        await uow.sessions.update_draft(draft.id, {"title": "y"})
        got = await uow.sessions.get_draft(draft.id)
        assert got is not None and got.values == {"title": "y"} and got.target == s.id

        assert await uow.sessions.feed_token(aki.id, "t" * 32) == "t" * 32
        assert await uow.sessions.feed_token(aki.id, "u" * 32) == "t" * 32
        assert await uow.sessions.member_for_feed("t" * 32) == aki.id

        await uow.deliveries.add(
            NewDelivery(
                key=f"announce:{s.id}:20261203T100000Z:1440",
                kind="announce",
                to=ROOM,
                not_before=NOW,
            )
        )
        [claimed] = await uow.deliveries.claim(NOW, 10)
        await uow.deliveries.mark_sent(claimed.id, at=NOW, message_id="1", channel_id="C1")
        assert await uow.sessions.sent_announcements(s.id) == [claimed.key]

    async with store.unit() as uow:  # forgetting a member removes their answers and token
        await uow.members.delete(aki.id)
    async with store.unit() as uow:
        assert (await uow.sessions.counts(s.id, START)).going == 0
        assert await uow.sessions.member_rsvps(aki.id) == []
        assert await uow.sessions.member_for_feed("t" * 32) is None
        assert await uow.sessions.get_draft(draft.id) is None
