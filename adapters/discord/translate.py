"""Discord interaction -> core `Inbound`, as pure functions.

The adapter reports facts, the core decides: `Actor.grants` carries
"manage_events" when the member holds Manage Events (Administrator implies
it) and "role:<id>" for each of their roles; `bot.config.OrganizerRule`
matches them. Who counts as an organizer is never decided here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.model import (
    DM_WORKSPACE,
    Actor,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    FormSubmitted,
    MessageRef,
    UserRef,
)


def workspace_of(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.guild_id) if interaction.guild_id else DM_WORKSPACE


def grants_of(interaction: discord.Interaction[Any]) -> frozenset[str]:
    """Facts about the member's rights in the guild where they acted."""
    user = interaction.user
    if interaction.guild_id is None or not isinstance(user, discord.Member):
        return frozenset()
    grants: set[str] = set()
    # `interaction.permissions` is what Discord computed for the member in this
    # channel (roles and overwrites); Administrator sets every flag.
    if interaction.permissions.manage_events:
        grants.add("manage_events")
    # Role ids straight from the payload: the guild's role cache is usually
    # empty for interactions (no GUILDS intent needed), so `member.roles`
    # would resolve nothing.
    grants.update(f"role:{role_id}" for role_id in user._roles)
    return frozenset(grants)


def actor_of(interaction: discord.Interaction[Any]) -> Actor:
    user = interaction.user
    return Actor(
        UserRef("discord", workspace_of(interaction), str(user.id)),
        display_name=user.display_name,
        grants=grants_of(interaction),
        locale=interaction.locale.value,
    )


def where_of(interaction: discord.Interaction[Any]) -> ChannelRef | None:
    """The guild channel acted in; None in DMs (replies go to the person)."""
    if interaction.guild_id is None or interaction.channel_id is None:
        return None
    return ChannelRef("discord", str(interaction.guild_id), str(interaction.channel_id))


def command_event(
    interaction: discord.Interaction[Any], name: str, args: tuple[str, ...]
) -> CommandInvoked:
    """`/ippo <name>` with its typed options already flattened to words."""
    raw = " ".join(["/ippo", name, *(f'"{a}"' if " " in a else a for a in args)])
    return CommandInvoked(actor_of(interaction), where_of(interaction), name, args, raw)


def message_ref_of(interaction: discord.Interaction[Any]) -> MessageRef | None:
    message = interaction.message
    if message is None:
        return None
    channel_id = interaction.channel_id or message.channel.id
    return MessageRef("discord", workspace_of(interaction), str(channel_id), str(message.id))


def button_event(interaction: discord.Interaction[Any], action_id: str) -> ButtonPressed:
    return ButtonPressed(
        actor_of(interaction), where_of(interaction), action_id, message_ref_of(interaction)
    )


def modal_values(data: Mapping[str, Any]) -> dict[str, str]:
    """Every submitted input by custom_id, from an action row or a label
    wrapper (Discord's newer modal layout) alike."""
    values: dict[str, str] = {}

    def walk(components: Any) -> None:
        for component in components or ():
            if "component" in component:
                walk([component["component"]])
            if "components" in component:
                walk(component["components"])
            if "custom_id" in component and isinstance(component.get("value"), str):
                values[component["custom_id"]] = component["value"]

    walk(data.get("components"))
    return values


def form_event(interaction: discord.Interaction[Any]) -> FormSubmitted:
    data: Mapping[str, Any] = interaction.data or {}
    return FormSubmitted(
        actor_of(interaction),
        where_of(interaction),
        str(data.get("custom_id", "")),
        modal_values(data),
    )
