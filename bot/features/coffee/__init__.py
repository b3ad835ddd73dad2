"""Coffee introductions (issue #15): members who opt in are introduced, every
few weeks, to one or two people from other departments, gently.

- `commands`: `/ippo coffee on|off|skip|pause|dept|avoid|quiet|status|channel`;
- `matching`: who meets whom (networkx maximum-weight matching), pure;
- `rounds`: when rounds fall (working days, each member's timezone), pure;
- `planner`: a round planned once per community (a unique round key), its
  groups turned into deliveries in bounded batches;
- `intro`: the introduction, "Let's meet" / "Not this time", and the one
  "Did you meet?" a week later;
- `access`: the organizer who chose a coffee channel ippo may not use is
  told, once;
- `ports`: what coffee stores (`uow.coffee`, storage/coffee.py).
"""

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
