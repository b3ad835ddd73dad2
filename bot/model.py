"""The core's vocabulary: frozen dataclasses shared by features, ports and adapters.

Nothing here knows a platform, a database or a scheduler. Adapters build
`Inbound` events from platform payloads and render `Message` values back;
the store converts its rows to and from the records defined here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

Platform = Literal["console", "slack", "discord"]
Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


# --------------------------------------------------------------------------- identities


DM_WORKSPACE = "dm"
"""`UserRef.workspace` when the platform names no workspace: a Discord
interaction in a DM with the bot has a user and no guild. The core resolves
such an actor to the member the person already is (see `bot.identity`)."""


@dataclass(frozen=True, slots=True)
class UserRef:
    """A person as the platform knows them. `workspace` is a Slack team id,
    a Discord guild id (or `DM_WORKSPACE` when none) or "console"."""

    platform: Platform
    workspace: str
    id: str


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A channel (never a DM) on one platform and workspace."""

    platform: Platform
    workspace: str
    id: str


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message the platform has posted: where, and its platform id (Slack ts,
    Discord snowflake, console sequence number)."""

    platform: Platform
    workspace: str
    channel_id: str
    message_id: str


@dataclass(frozen=True, slots=True)
class GroupRef:
    """Several people introduced together in one conversation: on Slack a group
    DM (mpim) the messenger opens with `members`; on Discord, where bots cannot
    open group DMs, a private thread in the channel `channel_id` with the
    members added (a GroupRef without `channel_id` cannot be sent on Discord).
    `members` are platform user ids, in the order the message names them."""

    platform: Platform
    workspace: str
    members: tuple[str, ...]
    channel_id: str | None = None

    def __post_init__(self) -> None:
        if len(self.members) < 2 or len(set(self.members)) != len(self.members):
            raise ValueError(f"a group needs two or more distinct members: {self.members!r}")
        if any(not m or "," in m for m in self.members):
            raise ValueError(f"a member id is empty or holds a comma: {self.members!r}")

    @property
    def joined(self) -> str:
        """The members as one string, "a,b,c": how the delivery ledger and the
        console inbox store a group (`bot.model.split_members` reads it back)."""
        return ",".join(self.members)


def split_members(joined: str) -> tuple[str, ...]:
    """`GroupRef.joined` read back."""
    return tuple(joined.split(","))


Destination = UserRef | ChannelRef | GroupRef
"""Where a message goes: a UserRef means that member's DM, a ChannelRef a
channel, a GroupRef a conversation of its members (group DM or private thread)."""


# --------------------------------------------------------------------------- inbound


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, plus what the platform says about their rights.

    `grants` are facts the adapter read from the platform, never decisions:
    "workspace_admin" (Slack admin/owner), "manage_events" (Discord permission),
    "role:<id>" (Discord roles). The core matches them against the configured
    organizer rule.
    """

    user: UserRef
    display_name: str = ""
    grants: frozenset[str] = frozenset()
    locale: str | None = None  # platform locale hint, e.g. "ja-JP", "en-US"
    tz: str | None = None  # platform timezone hint (Slack users.info), IANA name


@dataclass(frozen=True, slots=True)
class CommandInvoked:
    """`/ippo <name> <args...>` typed or picked from a slash command."""

    actor: Actor
    where: ChannelRef | None
    name: str
    args: tuple[str, ...]
    raw_text: str


@dataclass(frozen=True, slots=True)
class ButtonPressed:
    """A button or select option pressed; `action_id` is a route (see bot.actions)."""

    actor: Actor
    where: ChannelRef | None
    action_id: str
    message: MessageRef | None = None


@dataclass(frozen=True, slots=True)
class FormSubmitted:
    """A form (Slack modal, Discord modal, console prompts) submitted."""

    actor: Actor
    where: ChannelRef | None
    form_id: str
    values: Mapping[str, str]


Inbound = CommandInvoked | ButtonPressed | FormSubmitted


# --------------------------------------------------------------------------- outbound

Tone = Literal["info", "success", "warning", "error"]
ButtonStyle = Literal["default", "primary", "danger"]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action_id: str
    style: ButtonStyle = "default"


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Option:
    label: str
    action_id: str


@dataclass(frozen=True, slots=True)
class Choices:
    """A compact pick-one list (select menu). Picking an option is a ButtonPressed
    with the option's action id, exactly like a button."""

    placeholder: str
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class FormInput:
    id: str
    label: str
    kind: Literal["text", "multiline"] = "text"
    required: bool = True
    initial: str = ""
    hint: str = ""  # an example of valid input, shown as placeholder/help


FORM_INPUTS_MAX = 5
"""The most inputs one form may have: the smallest platform limit (a Discord
modal holds five). Longer forms are split into parts by the feature."""


@dataclass(frozen=True, slots=True)
class Form:
    """A modal form. `form_id` is a route like an action id."""

    form_id: str
    title: str
    submit_label: str
    inputs: tuple[FormInput, ...]


@dataclass(frozen=True, slots=True)
class Message:
    """A semantic message. `text` is always set: it is the fallback every adapter
    can show. The rest is rendered natively where the platform can."""

    text: str
    title: str | None = None
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    choices: Choices | None = None
    form: Form | None = None
    tone: Tone = "info"
    ephemeral: bool = False
    lang: Lang | None = None
    """The language the message is written in, for the few words an adapter
    adds itself ("More…" on an overflow menu). The core sets it on every reply
    and every scheduled message; adapters never look it up."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler returns.

    - `to=None`: answer the person who acted, where they acted (ephemeral if the
      message says so). With `replace=True` and a ButtonPressed, the message that
      carried the button is replaced instead.
    - `to=UserRef`: a DM to that member; `to=ChannelRef`: a post in that channel.
    """

    message: Message
    to: Destination | None = None
    replace: bool = False


# --------------------------------------------------------------------------- members


class Cadence(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class NudgePrefs:
    enabled: bool = False
    weekday: int = 0  # Monday = 0
    time: str = "09:30"  # HH:MM in the member's timezone
    paused_until: date | None = None
    cadence: Cadence = Cadence.WEEKLY
    unanswered: int = 0  # nudges in a row with no response


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    user: UserRef
    lang: Lang
    tz: str
    reasons: tuple[str, ...] = ()
    rung: int = 1
    nudge: NudgePrefs = field(default_factory=NudgePrefs)
    next_nudge_at: datetime | None = None  # UTC, aware
    unreachable: bool = False
    dm_channel_id: str | None = None
    display_name: str = ""
    created_at: datetime | None = None
    last_seen_at: datetime | None = None  # UTC; the member's latest interaction


class EntryKind(StrEnum):
    """What happened on a member's journey. Only `DONE` counts as a step taken;
    the others let suggestions skip what was declined or shown recently."""

    SUGGESTED = "suggested"
    TRYING = "trying"
    DECLINED = "declined"
    TOO_MUCH = "too_much"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class JourneyEntry:
    id: int
    member_id: int
    kind: EntryKind
    at: datetime
    step_id: str | None = None
    text: str | None = None  # free text when the step is not in the catalog
    note: str | None = None  # private to the member
