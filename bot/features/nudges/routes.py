"""The nudge feature's delivery keys and button routes, declared once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.actions import TEXT, Route, Tap
from bot.features.steps import ANOTHER_ARG
from bot.keys import DeliveryKey

NUDGE_KIND = "nudge"
FOLLOWUP_KIND = "followup"


@dataclass(frozen=True, slots=True)
class NudgeKey(DeliveryKey):
    """The week's nudge of a member: "nudge:<member>:<ISO week>"."""

    kind: ClassVar[str] = NUDGE_KIND
    member_id: int
    period: str


@dataclass(frozen=True, slots=True)
class FollowupKey(DeliveryKey):
    """ "Did you try it?" after "I'll try it": "followup:<member>:<step>:<ISO week>"."""

    kind: ClassVar[str] = FOLLOWUP_KIND
    member_id: int
    step_id: str
    period: str


ON = Tap("nudge", "on")
OFF = Tap("nudge", "off")
STOP = Tap("nudge", "stop")
SKIP = Tap("nudge", "skip")
ANOTHER = Route("nudge", "another", ANOTHER_ARG)
TRY = Route("nudge", "try", TEXT)
FOLLOWUP_DONE = Route("nudge", "fdone", TEXT)
FOLLOWUP_NOT_YET = Route("nudge", "fnotyet", TEXT)
FOLLOWUP_SKIP = Route("nudge", "fskip", TEXT)
