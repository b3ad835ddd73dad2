"""`/ippo privacy` says what ippo stores about the member; `/ippo forget`
deletes all of it after one confirmation.

What is stored where: `STORED` maps every table that holds member data to
the fields of `/ippo privacy` that show it (`privacy.f.<key>` in the
catalogs), and `NO_MEMBER_DATA` says why a table that looks as if it
referred to people does not. tests/test_privacy_coverage.py walks the
database schema and fails for a table with a member column (a foreign key
to members.id or a user id) that neither names, so new member data is shown
here before it ships; it also fills every such table for one member through
the features and checks that `/ippo forget` leaves nothing of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.actions import Tap
from bot.feature import Command, Feature
from bot.features.coffee.privacy import coffee_summary, forget_coffee
from bot.features.common import private
from bot.features.journey import listed
from bot.features.nudges import format_date, is_paused
from bot.features.reasons import reason_labels
from bot.features.sessions.rsvp import leave_all_sessions
from bot.model import Button, CommandInvoked, EntryKind, Field, Reply
from bot.router import Ctx

FORGET = Tap("privacy", "forget")
FORGET_YES = Tap("privacy", "forget-yes")
FORGET_NO = Tap("privacy", "forget-no")

FIELDS: Final = (
    "identity",
    "name",
    "settings",
    "reasons",
    "nudges",
    "journey",
    "messages",
    "sessions",
    "organized",
    "drafts",
    "feed",
    "coffee",
)
"""The fields of `/ippo privacy`, in order; each is labelled `privacy.f.<key>`."""

STORED: Final[Mapping[str, tuple[str, ...]]] = {
    # identity (platform, workspace, user id), display name, language,
    # timezone, level, reasons, nudge day/time/pause; the bookkeeping columns
    # (next nudge, silence count, DM channel, first and last seen) serve these.
    "members": ("identity", "name", "settings", "reasons", "nudges"),
    "journey_entries": ("journey",),  # steps done or tried, notes, suggestions passed over
    "deliveries": ("messages",),  # nudges and follow-ups planned for or sent to the member
    # On the console, the text of those messages (DMs) until shown, and which
    # channel posts a member has seen (`seen_by`).
    "console_inbox": ("messages",),
    "rsvps": ("sessions",),  # answers to sessions
    "sessions": ("organized",),  # `organizer_id`: the sessions a member organizes
    "session_drafts": ("drafts",),  # session forms filled in, not saved
    "feed_tokens": ("feed",),  # the secret in the member's calendar feed address
    # Coffee introductions: opt-in, department, quiet seat, pause; whom they
    # avoid (shown to them alone); the groups they were introduced in.
    "coffee_prefs": ("coffee",),
    "coffee_avoids": ("coffee",),
    "coffee_seats": ("coffee",),
    "coffee_channels": ("coffee",),  # `set_by`: the coffee channel an organizer chose
}
"""Every table holding data about a member -> the privacy fields that show it."""

NO_MEMBER_DATA: Final[Mapping[str, str]] = {
    "seen_requests": (
        "keys of platform requests already handled (a Slack signature and timestamp, "
        "an event id, a Discord interaction id), kept for minutes to refuse replays: "
        "no user id, nothing a member said"
    ),
    "slack_bots": "the bot's own Slack user (`bot_user_id`), one row per workspace install",
    "slack_installations": (
        "the workspace's install of ippo (its bot token); `user_id` is the Slack admin who "
        "installed it, the workspace's record kept while ippo is installed and removed "
        "with the install, not a member's data"
    ),
    "slack_oauth_states": "one-time OAuth `state` values of installs in progress",
}
"""Tables whose user-like columns hold no member's data, and why."""


async def privacy_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    t, m = ctx.t, ctx.member
    entries = await ctx.uow.journey.list(m.id)
    shown = listed(entries)  # what /ippo journey shows, with the same numbers
    done = sum(1 for e in shown if e.kind == EntryKind.DONE)
    notes = sum(1 for e in shown if e.note)
    journey = (
        t(
            "privacy.journey",
            entries=t("privacy.entries", count=len(shown)),
            done=done,
            notes=t("privacy.notes", count=notes),
        )
        if shown
        else t("privacy.journey_empty")
    )
    if hidden := len(entries) - len(shown):
        journey += "\n" + t("privacy.journey_hidden", count=hidden)
    deliveries = await ctx.uow.deliveries.for_member(m.id)
    replies = await ctx.uow.sessions.member_rsvps(m.id)
    organized = await ctx.uow.sessions.organized_by(m.user)
    drafts = await ctx.uow.sessions.member_drafts(m.id)
    has_feed = await ctx.uow.sessions.has_feed(m.id)
    reasons = reason_labels(ctx)
    coffee = await coffee_summary(ctx)
    rung = ctx.catalog.rung(m.rung).name(ctx.lang)
    nudge = m.nudge
    when = {"weekday": t(f"nudge.day.d{nudge.weekday}"), "time": nudge.time}
    if not nudge.enabled:
        nudges = t("privacy.nudges_off")
    elif is_paused(m, ctx.now) and nudge.paused_until is not None:
        nudges = t("privacy.nudges_paused", **when, date=format_date(t, nudge.paused_until))
    else:
        nudges = t("privacy.nudges_on", **when)
    none = t("privacy.none")
    values = {
        "identity": f"{m.user.platform} / {m.user.workspace} / {m.user.id}",
        "name": m.display_name or none,
        "settings": t("privacy.settings", lang=t(f"lang.name.{m.lang}"), tz=m.tz, rung=rung),
        "reasons": reasons or none,
        "nudges": nudges,
        "journey": journey,
        "messages": t("privacy.messages", count=len(deliveries)) if deliveries else none,
        "sessions": t("privacy.sessions", count=len(replies)) if replies else none,
        "organized": (
            t("privacy.organized", titles=t("privacy.sep").join(s.title for s in organized))
            if organized
            else none
        ),
        "drafts": t("privacy.drafts", count=drafts) if drafts else none,
        "feed": t("privacy.feed_on") if has_feed else t("privacy.feed_off"),
        "coffee": coffee or none,
    }
    fields = tuple(Field(t(f"privacy.f.{key}"), values[key]) for key in FIELDS)
    # A member with nothing but what every conversation needs (just created, or
    # just forgotten and back) hears why the account and settings are there.
    fresh = (
        not (m.reasons or entries or deliveries or replies or organized or drafts or has_feed)
        and not coffee
        and not nudge.enabled
    )
    return [
        private(
            t("privacy.body_fresh" if fresh else "privacy.body"),
            title=t("privacy.title"),
            fields=fields,
            buttons=(Button(t("privacy.btn.forget"), FORGET.id(), style="danger"),),
        )
    ]


async def confirm(ctx: Ctx, *, replace: bool) -> Reply:
    t = ctx.t
    text = t("forget.confirm")
    if await ctx.uow.sessions.organized_by(ctx.member.user):
        text += "\n" + t("forget.organized")
    return private(
        text,
        title=t("forget.title"),
        tone="warning",
        buttons=(
            Button(t("forget.btn.yes"), FORGET_YES.id(), style="danger"),
            Button(t("forget.btn.no"), FORGET_NO.id()),
        ),
        replace=replace,
    )


async def forget_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    return [await confirm(ctx, replace=False)]


async def ask_forget(ctx: Ctx, _: None) -> list[Reply]:
    return [await confirm(ctx, replace=False)]


async def forget(ctx: Ctx, _: None) -> list[Reply]:
    promoted = await leave_all_sessions(ctx)
    # Sessions they organized stay for the community, without them.
    await ctx.uow.sessions.forget_organizer(ctx.member.user)
    await forget_coffee(ctx)
    await ctx.uow.members.delete(ctx.member.id)
    return [private(ctx.t("forget.done"), tone="success", replace=True), *promoted]


async def keep(ctx: Ctx, _: None) -> list[Reply]:
    return [private(ctx.t("forget.kept"), replace=True)]


FEATURE = Feature(
    "privacy",
    commands=(
        Command("privacy", privacy_command, help=("help.line.privacy",)),
        Command("forget", forget_command, ("delete-me",), help=("help.line.forget",)),
    ),
    help_section="help.section.settings",
    presses=(FORGET.on(ask_forget), FORGET_YES.on(forget), FORGET_NO.on(keep)),
)
