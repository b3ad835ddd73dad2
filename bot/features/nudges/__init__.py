"""The weekly "try one thing" nudge: `/ippo nudge ...`, its buttons, and the
scheduled work that plans and composes it.

- Members opt in (`/ippo nudge on`); nobody else is ever nudged (commands).
- Planning (`planning.plan_nudges`) turns each due member into one delivery
  keyed by the ISO week of their local date, advances `next_nudge_at`, counts
  the nudge as unanswered and slows the cadence after silence (timing). A slot
  found late (hourly cron ticks) is still sent within
  `CoreConfig.late_slot_window`; a slot older than that (ippo was down) is
  skipped, not caught up.
- Sending composes the message at send time (`messages.compose_nudge`): the
  step is picked then, so it reflects what the member did since, and a member
  who stopped, paused or left meanwhile gets nothing.
- Any interaction with ippo is a response (`buttons.on_contact`): it restores
  the weekly cadence. "I'll try it" schedules exactly one follow-up three days
  later, moved off days off and off the day of the next nudge (followup).
"""

from __future__ import annotations

from bot.feature import Arg, Command, Feature
from bot.features.nudges.buttons import (
    another,
    followup_done,
    followup_not_yet,
    followup_skip,
    off,
    on,
    on_contact,
    skip,
    stop,
    try_it,
)
from bot.features.nudges.commands import follow_tz_change, format_date, format_when, nudge_command
from bot.features.nudges.messages import nudge_message
from bot.features.nudges.planning import scheduled_work
from bot.features.nudges.routes import (
    ANOTHER,
    FOLLOWUP_DONE,
    FOLLOWUP_KIND,
    FOLLOWUP_NOT_YET,
    FOLLOWUP_SKIP,
    NUDGE_KIND,
    OFF,
    ON,
    SKIP,
    STOP,
    TRY,
)
from bot.features.nudges.timing import is_paused

__all__ = [
    "FEATURE",
    "FOLLOWUP_KIND",
    "NUDGE_KIND",
    "follow_tz_change",
    "format_date",
    "format_when",
    "is_paused",
    "nudge_message",
]

FEATURE = Feature(
    "nudges",
    commands=(
        Command(
            "nudge",
            nudge_command,
            ("nudges",),
            (Arg("args"),),
            help=("nudge.help.settings", "nudge.help.when", "nudge.help.pause"),
        ),
    ),
    help_section="nudge.help.section",
    presses=(
        ON.on(on),
        OFF.on(off),
        STOP.on(stop),
        SKIP.on(skip),
        ANOTHER.on(another),
        TRY.on(try_it),
        FOLLOWUP_DONE.on(followup_done),
        FOLLOWUP_NOT_YET.on(followup_not_yet),
        FOLLOWUP_SKIP.on(followup_skip),
    ),
    contact=(on_contact,),
    work=scheduled_work,
)
