"""The coffee feature's one declaration (`FEATURE`), handed out by the
package's `__init__` on first use."""

from __future__ import annotations

from bot.feature import Arg, Command, Feature
from bot.features.coffee.access import compose_access, refused
from bot.features.coffee.commands import VERBS, coffee_command
from bot.features.coffee.intro import PRESSES, compose_check, compose_intro
from bot.features.coffee.planner import plan_coffee
from bot.features.coffee.ports import ACCESS_KIND, CHECK_KIND, INTRO_KIND
from bot.scheduled import ScheduledWork, WorkCtx
from bot.working_days import WorkingDays


def scheduled_work() -> ScheduledWork:
    calendars: dict[str, WorkingDays] = {}  # one holiday table per country, for this work

    async def planner(work: WorkCtx) -> int:
        country = work.config.holiday_country
        calendar = calendars.get(country) or calendars.setdefault(country, WorkingDays(country))
        return await plan_coffee(work, calendar)

    return ScheduledWork(
        planners=(planner,),
        composers={
            INTRO_KIND: compose_intro,
            CHECK_KIND: compose_check,
            ACCESS_KIND: compose_access,
        },
        on_refused={INTRO_KIND: refused},
    )


FEATURE = Feature(
    "coffee",
    commands=(
        Command(
            "coffee",
            coffee_command,
            (),
            (
                Arg("action", "choice", choices=VERBS, describe="discord.opt.coffee_action"),
                Arg("words", describe="discord.opt.coffee_words"),
            ),
            help=("coffee.help.on",),
        ),
    ),
    help_section="coffee.help.section",
    presses=PRESSES,
    work=scheduled_work,
)
