"""What coffee keeps, as the core sees it, and the repository that keeps it.

A member's choices (`CoffeePrefs`), the members they asked not to meet
(private), each community's coffee channel (Discord: where private intro
threads are made), and the rounds: a round per community and period (its
`RoundKey` is unique, so a round is planned once), its groups and each
group's seats. A seat's member id is emptied when that member is forgotten,
so the others' history keeps only that a meeting happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, Literal, Protocol

from bot.keys import DeliveryKey
from bot.model import Member, Platform

Answer = Literal["", "meet", "pass"]
INTRO_KIND = "coffee"
CHECK_KIND = "coffee-check"
ACCESS_KIND = "coffee-access"
QUIET_RUNG = 1  # "just watch or listen": the one rung with a quiet seat


@dataclass(frozen=True, slots=True)
class RoundKey(DeliveryKey):
    """One round of one community: `coffee-round:slack:T1:2026-W49`."""

    kind: ClassVar[str] = "coffee-round"
    platform: str
    workspace: str
    period: str


@dataclass(frozen=True, slots=True)
class IntroKey(DeliveryKey):
    """A group's introduction; `member_id` 0 for the one group message, else
    the member's own DM (Discord without a coffee channel)."""

    kind: ClassVar[str] = INTRO_KIND
    group_id: int
    member_id: int


@dataclass(frozen=True, slots=True)
class CheckKey(DeliveryKey):
    """The one "Did you meet?" after a member pressed "Let's meet"."""

    kind: ClassVar[str] = CHECK_KIND
    group_id: int
    member_id: int


@dataclass(frozen=True, slots=True)
class CoffeePrefs:
    member_id: int
    enabled: bool = False
    dept: str = ""  # normalised (bot.features.coffee.words.normal_dept) or a catalog id
    quiet: bool = False  # joins as a quiet third who may only listen
    paused_until: date | None = None  # a local date: no introductions before it
    skip_period: str = ""  # the period of the one round they skip


@dataclass(frozen=True, slots=True)
class PoolMember:
    member: Member
    prefs: CoffeePrefs


@dataclass(frozen=True, slots=True)
class Seat:
    """One member in one group. `member_id` None once they were forgotten."""

    member_id: int | None
    quiet: bool = False
    slowed: bool = False  # silent on their last two intros: every other round now
    answer: Answer = ""


@dataclass(frozen=True, slots=True)
class NewGroup:
    seats: tuple[Seat, ...]
    shares_lang: bool
    shares_hours: bool
    intro_at: datetime


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    round_id: int
    platform: Platform
    workspace: str
    seq: int  # the round's number (rounds since the epoch)
    seats: tuple[Seat, ...]
    shares_lang: bool
    shares_hours: bool
    intro_at: datetime


@dataclass(frozen=True, slots=True)
class PastRound:
    """One earlier round of a community, as matching and gentleness need it."""

    seq: int
    groups: tuple[tuple[Seat, ...], ...]


class CoffeeRepo(Protocol):
    async def prefs(self, member_id: int) -> CoffeePrefs:
        """The member's choices (defaults, off, when they never chose)."""
        ...

    async def save_prefs(self, prefs: CoffeePrefs) -> None: ...

    async def avoids(self, member_id: int) -> Sequence[str]:
        """Platform user ids (same workspace) the member asked not to meet."""
        ...

    async def add_avoid(self, member_id: int, user_id: str) -> bool:
        """False when already listed."""
        ...

    async def remove_avoid(self, member_id: int, user_id: str) -> bool:
        """False when not listed."""
        ...

    async def avoided_in(self, member_ids: Sequence[int]) -> Mapping[int, Sequence[str]]:
        """`avoids` for many members at once (planning)."""
        ...

    async def forget_user(self, platform: Platform, workspace: str, user_id: str) -> None:
        """Delete the other members' avoid entries that name this person, and
        take them out of the groups' introductions in the delivery ledger
        (a pending one goes to the others, or is skipped when one is left)."""
        ...

    async def channel(self, platform: Platform, workspace: str) -> str | None: ...

    async def set_channel(
        self, platform: Platform, workspace: str, channel_id: str, at: datetime, by: int
    ) -> None:
        """`by`: the organizer choosing it, told if ippo may not use it."""
        ...

    async def channel_setter(self, platform: Platform, workspace: str) -> int | None:
        """The member id of the organizer who chose the channel, if still here."""
        ...

    async def channels_set_by(self, member_id: int) -> Sequence[str]:
        """The coffee channels this member chose (their privacy view)."""
        ...

    async def communities(self) -> Sequence[tuple[Platform, str]]:
        """Every (platform, workspace) with a member who opted in."""
        ...

    async def pool(self, platform: Platform, workspace: str) -> Sequence[PoolMember]:
        """The opted-in members of one community (pauses not applied)."""
        ...

    async def past_rounds(
        self, platform: Platform, workspace: str, since_seq: int
    ) -> Sequence[PastRound]:
        """The community's rounds with `seq >= since_seq`, newest first."""
        ...

    async def has_round(self, key: RoundKey) -> bool: ...

    async def start_round(
        self, key: RoundKey, seq: int, at: datetime, report: Mapping[str, int]
    ) -> int | None:
        """Insert the round unless its key exists; its id, or None when another
        planner (or an earlier tick) has it."""
        ...

    async def add_groups(self, round_id: int, groups: Sequence[NewGroup]) -> None: ...

    async def unplanned(self, limit: int) -> Sequence[Group]:
        """Groups whose introductions are not in the ledger yet; locked on
        PostgreSQL (SKIP LOCKED) so planners take disjoint sets."""
        ...

    async def mark_planned(self, group_ids: Sequence[int]) -> None: ...

    async def group(self, group_id: int) -> Group | None: ...

    async def answer(self, group_id: int, member_id: int, answer: Answer) -> bool:
        """Record the member's answer on their seat; False when not a seat of theirs."""
        ...

    async def meetings(self, member_id: int) -> Sequence[datetime]:
        """When the member was introduced (each group's intro time), oldest first."""
        ...
