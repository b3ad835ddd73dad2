"""`/ippo privacy` says what ippo stores about the member; `/ippo forget`
deletes all of it after one confirmation."""

from __future__ import annotations

from bot.actions import ActionId, action
from bot.features.common import private
from bot.features.journey import listed
from bot.features.reasons import reason_labels
from bot.features.sessions import leave_all_sessions
from bot.model import Button, CommandInvoked, EntryKind, Field, Reply
from bot.router import Ctx, Router, UserError


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
    has_feed = await ctx.uow.sessions.has_feed(m.id)
    reasons = reason_labels(ctx)
    rung = ctx.catalog.rung(m.rung).name(ctx.lang)
    settings = t("privacy.settings", lang=t(f"lang.name.{m.lang}"), tz=m.tz, rung=rung)
    fields = (
        Field(t("privacy.f.identity"), f"{m.user.platform} / {m.user.workspace} / {m.user.id}"),
        Field(t("privacy.f.name"), m.display_name or t("privacy.none")),
        Field(t("privacy.f.settings"), settings),
        Field(t("privacy.f.reasons"), reasons or t("privacy.none")),
        Field(
            t("privacy.f.nudges"),
            t("privacy.nudges_on") if m.nudge.enabled else t("privacy.nudges_off"),
        ),
        Field(t("privacy.f.journey"), journey),
        Field(t("privacy.f.messages"), t("privacy.messages", count=len(deliveries))),
        Field(t("privacy.f.sessions"), t("privacy.sessions", count=len(replies))),
        Field(t("privacy.f.feed"), t("privacy.feed_on") if has_feed else t("privacy.feed_off")),
    )
    return [
        private(
            t("privacy.body"),
            title=t("privacy.title"),
            fields=fields,
            buttons=(Button(t("privacy.btn.forget"), action("privacy", "forget"), style="danger"),),
        )
    ]


def confirm(ctx: Ctx, *, replace: bool) -> Reply:
    t = ctx.t
    return private(
        t("forget.confirm"),
        title=t("forget.title"),
        tone="warning",
        buttons=(
            Button(t("forget.btn.yes"), action("privacy", "forget-yes"), style="danger"),
            Button(t("forget.btn.no"), action("privacy", "forget-no")),
        ),
        replace=replace,
    )


async def forget_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    return [confirm(ctx, replace=False)]


async def on_button(ctx: Ctx, route: ActionId) -> list[Reply]:
    match route.verb:
        case "forget":
            return [confirm(ctx, replace=False)]
        case "forget-yes":
            promoted = await leave_all_sessions(ctx)
            await ctx.uow.members.delete(ctx.member.id)
            return [private(ctx.t("forget.done"), tone="success", replace=True), *promoted]
        case "forget-no":
            return [private(ctx.t("forget.kept"), replace=True)]
    raise UserError("errors.stale_button")


def register(router: Router) -> None:
    router.command("privacy", privacy_command)
    router.command("forget", forget_command, "delete-me")
    router.actions("privacy", on_button)
