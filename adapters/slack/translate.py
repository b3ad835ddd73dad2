"""Slack payloads -> core events. Pure functions: no I/O, no decisions.

Bolt hands us the parsed request body: form fields for slash commands, the
JSON `payload=` for interactivity (block actions, view submissions). What
Slack knows about the person (`users.info`) arrives separately as a
`SlackUser`, fetched by the adapter and read again after a few minutes
(`adapters.slack.messenger.USER_FACTS_TTL_S`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.model import (
    Actor,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    FormSubmitted,
    MessageRef,
    UserRef,
)
from bot.router import split_command

Body = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SlackUser:
    """What `users.info` says about a person that the core may use."""

    display_name: str = ""
    locale: str | None = None
    tz: str | None = None
    admin: bool = False


def user_from_info(info: Mapping[str, Any]) -> SlackUser:
    """The `user` object of a `users.info?include_locale=true` answer."""
    profile = info.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or info.get("real_name") or ""
    return SlackUser(
        display_name=str(name or info.get("name") or ""),
        locale=info.get("locale") or None,
        tz=info.get("tz") or None,
        admin=bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner")),
    )


def team_id(body: Body) -> str:
    """The workspace of a command, action or view payload."""
    team = body.get("team")
    if isinstance(team, Mapping) and team.get("id"):
        return str(team["id"])
    if body.get("team_id"):
        return str(body["team_id"])
    user = body.get("user")
    if isinstance(user, Mapping) and user.get("team_id"):
        return str(user["team_id"])
    return ""


def user_id(body: Body) -> str:
    user = body.get("user")
    if isinstance(user, Mapping):
        return str(user.get("id", ""))
    return str(body.get("user_id", ""))


def actor_for(user: UserRef, who: SlackUser, fallback_name: str = "") -> Actor:
    """The core's Actor: Slack admins and owners get the "workspace_admin" grant."""
    return Actor(
        user,
        display_name=who.display_name or fallback_name,
        grants=frozenset({"workspace_admin"}) if who.admin else frozenset(),
        locale=who.locale,
        tz=who.tz,
    )


def actor(body: Body, who: SlackUser) -> Actor:
    user = body.get("user")
    fallback = body.get("user_name") or (user.get("username") if isinstance(user, Mapping) else "")
    return actor_for(UserRef("slack", team_id(body), user_id(body)), who, str(fallback or ""))


def channel(team: str, channel_id: str | None) -> ChannelRef | None:
    """A channel, or None for DMs ("D…") and no channel at all (App Home)."""
    if not channel_id or channel_id.startswith("D"):
        return None
    return ChannelRef("slack", team, channel_id)


def command(body: Body, who: SlackUser) -> CommandInvoked:
    """A slash command's form fields (`command`, `text`, `channel_id`, ...)."""
    text = str(body.get("text") or "")
    name, args = split_command(text)
    return CommandInvoked(
        actor(body, who), channel(team_id(body), body.get("channel_id")), name, args, text
    )


def typed_in_dm(event: Mapping[str, Any]) -> bool:
    """A `message.im` event a person typed: in a DM, with text, from a user,
    and not a bot's message, an edit, a deletion or any other subtype."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(str(event.get("text") or "").strip())
    )


_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>[\s:,]*")


def typed_text(text: str) -> str:
    """A message's text as typed: a leading mention (of the bot, in its own
    DM) dropped and Slack's three escapes undone."""
    bare = _LEADING_MENTION.sub("", text)
    return bare.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def dm_command(body: Body, who: SlackUser) -> CommandInvoked:
    """A message typed in the bot's DM (an `event_callback` with a
    `message.im` event) as the command it names: "step 2", "ippo step 2" and
    "/ippo step 2" are all `step 2` (split_command drops the prefix)."""
    event = body.get("event") or {}
    text = typed_text(str(event.get("text") or ""))
    name, args = split_command(text)
    user = UserRef("slack", team_id(body), str(event.get("user", "")))
    return CommandInvoked(actor_for(user, who), None, name, args, text)


def picked_action_id(action: Mapping[str, Any]) -> str:
    """The core route behind a pressed button or a picked select option: the
    renderer puts it in `value` (a button's `action_id` may carry a suffix to
    stay unique within its message)."""
    selected = action.get("selected_option")
    if isinstance(selected, Mapping) and selected.get("value"):
        return str(selected["value"])
    return str(action.get("value") or action.get("action_id") or "")


def action_channel_id(body: Body) -> str | None:
    chan = body.get("channel")
    if isinstance(chan, Mapping) and chan.get("id"):
        return str(chan["id"])
    container = body.get("container") or {}
    return str(container["channel_id"]) if container.get("channel_id") else None


def button(body: Body, who: SlackUser) -> ButtonPressed:
    """The first (only) action of a `block_actions` payload."""
    team = team_id(body)
    actions = body.get("actions") or [{}]
    channel_id = action_channel_id(body)
    container = body.get("container") or {}
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    message = MessageRef("slack", team, channel_id, str(ts)) if channel_id and ts else None
    return ButtonPressed(
        actor(body, who), channel(team, channel_id), picked_action_id(actions[0]), message
    )


def form_values(state: Mapping[str, Any]) -> dict[str, str]:
    """`view.state.values` ({block_id: {action_id: {type, value}}}) -> {input id: text}.
    The renderer uses the FormInput id as both block and action id."""
    out: dict[str, str] = {}
    for block_id, elements in (state.get("values") or {}).items():
        for element in elements.values():
            value = element.get("value")
            if value is None and isinstance(element.get("selected_option"), Mapping):
                value = element["selected_option"].get("value")
            out[str(block_id)] = "" if value is None else str(value)
    return out


def modal_metadata(channel_id: str | None, response_url: str | None = None) -> str:
    """A modal's `private_metadata`: the channel it was opened from and, when
    opened from a message button, that interaction's `response_url`, so the
    submission's answer can replace the message (Slack keeps neither)."""
    data = {"channel": channel_id or ""}
    if response_url:
        data["response_url"] = response_url
    return json.dumps(data)


def _metadata(view: Mapping[str, Any], key: str) -> str | None:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    found = data.get(key) if isinstance(data, dict) else None
    return str(found) if found else None


def metadata_channel(view: Mapping[str, Any]) -> str | None:
    return _metadata(view, "channel")


def metadata_response_url(view: Mapping[str, Any]) -> str | None:
    return _metadata(view, "response_url")


def form(body: Body, who: SlackUser) -> FormSubmitted:
    """A `view_submission` payload; the modal's `callback_id` is the core form id."""
    view = body.get("view") or {}
    team = team_id(body)
    return FormSubmitted(
        actor(body, who),
        channel(team, metadata_channel(view)),
        str(view.get("callback_id") or ""),
        form_values(view.get("state") or {}),
    )
