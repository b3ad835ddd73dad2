"""What `/ippo privacy` shows of a member's coffee data, and what
`/ippo forget` removes beyond the member's own rows (which go with them)."""

from __future__ import annotations

from bot.features.coffee.commands import dept_label, format_day
from bot.router import Ctx
from bot.working_days import local_date


async def coffee_summary(ctx: Ctx) -> str:
    """Opt-in, department, quiet seat, pause, their own avoid list (shown to
    them alone), the coffee channel they chose as an organizer and when they
    were introduced; "" when there is nothing."""
    t, coffee = ctx.t, ctx.uow.coffee
    prefs = await coffee.prefs(ctx.member.id)
    avoided = await coffee.avoids(ctx.member.id)
    met = await coffee.meetings(ctx.member.id)
    chosen = await coffee.channels_set_by(ctx.member.id)
    if not (prefs.enabled or prefs.dept or prefs.quiet or avoided or met or chosen):
        return ""
    if not prefs.enabled:
        parts = [t("coffee.privacy.off")]
    elif prefs.paused_until is not None and prefs.paused_until > local_date(ctx.now, ctx.member.tz):
        parts = [t("coffee.privacy.paused", date=format_day(ctx, prefs.paused_until))]
    else:
        parts = [t("coffee.privacy.on")]
    if prefs.dept:
        parts.append(t("coffee.privacy.dept", dept=dept_label(ctx, prefs.dept)))
    if prefs.quiet:
        parts.append(t("coffee.privacy.quiet"))
    if avoided:
        parts.append(t("coffee.privacy.avoid", count=len(avoided)))
    if chosen:
        channels = t("coffee.sep").join(f"#{c}" for c in chosen)
        parts.append(t("coffee.privacy.channel", channels=channels))
    if met:
        days = t("coffee.sep").join(format_day(ctx, local_date(at, ctx.member.tz)) for at in met)
        parts.append(t("coffee.privacy.met", count=len(met), dates=days))
    return t("coffee.sep").join(parts)


async def forget_coffee(ctx: Ctx) -> None:
    """The others' avoid entries naming this person go too, and so does
    their user id in the groups' introductions (the delivery ledger's group
    destinations: a pending one goes to the others or is skipped); their
    seats keep only that a meeting happened (the member id is set to NULL by
    the database when the member is deleted)."""
    user = ctx.member.user
    await ctx.uow.coffee.forget_user(user.platform, user.workspace, user.id)
