"""The member's overview: reasons, level, the next suggested step, weekly
message settings and the workspace's next sessions. Slack shows it as the App
Home tab (`Core.home`); every adapter can show it with `/ippo home`.

It only reads: showing the overview records nothing on the journey (the
suggested step is a preview, not an offer), so refreshing it is free.
"""

from __future__ import annotations

from bot.actions import Tap
from bot.feature import Command, Feature
from bot.features.common import step_brief
from bot.features.links import JOURNEY_SHOW, STEP_MORE
from bot.features.nudges import format_date
from bot.features.reasons import reason_labels, reasons_view
from bot.features.sessions.listing import list_sessions, upcoming
from bot.model import Button, CommandInvoked, Field, Message, Reply
from bot.router import Ctx
from bot.suggest import suggest

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOME_SESSIONS = 3
WHY = Tap("home", "why")
SESSIONS = Tap("home", "sessions")


def nudge_summary(ctx: Ctx) -> str:
    t, nudge = ctx.t, ctx.member.nudge
    if not nudge.enabled:
        return t("home.nudge.off")
    when = t(
        "home.nudge.when",
        cadence=t(f"home.cadence.{nudge.cadence.value}"),
        weekday=t(f"home.weekday.{WEEKDAYS[nudge.weekday % 7]}"),
        time=nudge.time,
    )
    if nudge.paused_until is not None:
        when += "\n" + t("home.nudge.paused", until=format_date(t, nudge.paused_until))
    return when


async def sessions_summary(ctx: Ctx) -> str:
    found = await upcoming(ctx, HOME_SESSIONS)
    if not found:
        return ctx.t("home.no_sessions")
    return "\n".join(line for _, _, line in found)


async def home_view(ctx: Ctx) -> Message:
    """The overview as one message: fields for the facts, buttons for the
    next things a member might want to do."""
    t, lang, member = ctx.t, ctx.lang, ctx.member
    entries = await ctx.uow.journey.list(member.id)
    upcoming = suggest(ctx.catalog, member, entries, ctx.now, count=1)
    rung = ctx.catalog.rung(member.rung)
    next_step = step_brief(t, ctx.catalog, upcoming[0]) if upcoming else t("home.no_step")
    fields = (
        Field(t("home.f.reasons"), reason_labels(ctx) or t("why.none")),
        Field(t("home.f.rung"), f"{rung.name(lang)}\n{rung.description(lang)}"),
        Field(t("home.f.next"), next_step),
        Field(t("home.f.nudge"), nudge_summary(ctx)),
        Field(t("home.f.sessions"), await sessions_summary(ctx)),
    )
    buttons = (
        Button(t("home.btn.step"), STEP_MORE.id(), style="primary"),
        Button(t("home.btn.why"), WHY.id()),
        Button(t("home.btn.journey"), JOURNEY_SHOW.id()),
        Button(t("home.btn.sessions"), SESSIONS.id()),
    )
    return Message(
        t("home.intro"),
        title=t("home.title"),
        fields=fields,
        buttons=buttons,
        ephemeral=True,
    )


async def home_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    return [Reply(await home_view(ctx))]


async def why(ctx: Ctx, _: None) -> list[Reply]:
    return [reasons_view(ctx)]


async def sessions(ctx: Ctx, _: None) -> list[Reply]:
    return await list_sessions(ctx)


FEATURE = Feature(
    "home",
    commands=(Command("home", home_command, ("me",), help=("home.help.overview",)),),
    help_section="help.section.steps",
    presses=(WHY.on(why), SESSIONS.on(sessions)),
    home=home_view,
)
