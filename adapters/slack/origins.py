"""Where a Slack interaction came from: what delivering its replies needs
(see adapters.slack.app for where each kind of reply goes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from adapters.slack import translate
from bot.model import UserRef

Body = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an interaction came from: what the reply delivery needs."""

    user: UserRef
    channel_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None


def origin(body: Body, channel_id: str | None) -> Origin:
    return Origin(
        user=UserRef("slack", translate.team_id(body), translate.user_id(body)),
        channel_id=channel_id,
        response_url=body.get("response_url") or None,
        trigger_id=body.get("trigger_id") or None,
    )


def command(body: Body) -> Origin:
    """A slash command's: its channel, response_url and trigger id."""
    return origin(body, body.get("channel_id"))


def action(body: Body) -> Origin:
    """A button's: the channel of the message (or none, on the App Home)."""
    return origin(body, translate.action_channel_id(body))


def view(body: Body) -> Origin:
    """A modal submission's: what the opening interaction left in the view's
    private_metadata (its channel and response_url)."""
    form = body.get("view") or {}
    return replace(
        origin(body, translate.metadata_channel(form)),
        response_url=translate.metadata_response_url(form),
    )
