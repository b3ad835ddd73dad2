"""`/ippo help` and the answer to an unknown command."""

from __future__ import annotations

from bot.feature import Command, Feature
from bot.features.common import private
from bot.model import CommandInvoked, Reply
from bot.router import Ctx


async def show_help(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    t = ctx.t
    if cmd.name and cmd.name not in ("help", "start"):
        return [private(t("help.unknown", name=cmd.name) + "\n\n" + t("help.body"), tone="warning")]
    return [private(t("help.body"), title=t("help.title"))]


FEATURE = Feature(
    "help",
    commands=(Command("help", show_help, ("start", "?")),),
    fallback=show_help,
)
