"""Persistent message components: every button and select is a `DynamicItem`.

A button's `custom_id` IS the core route ("feature:verb:arg"), so a press is
understood from the id alone — after a restart, on another instance, for a
message sent months ago — and nothing is kept in memory per message (the
pattern of discord.py's examples/views/dynamic_counter.py). A select carries
"~pick:<n>" as its own id and the chosen route as the option value; "~" never
starts a route, so the two templates never both match.

The press itself is handed to the client (`ComponentSink`), which runs it
through the adapter; these classes decide nothing.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, Self, runtime_checkable

import discord

ROUTE_TEMPLATE = re.compile(r"(?P<route>[^~:][^:]*:.+)")
PICK_TEMPLATE = re.compile(r"~pick:(?P<index>\d+)")


@runtime_checkable
class ComponentSink(Protocol):
    """What the client offers components: run one pressed route."""

    async def on_component(self, interaction: discord.Interaction[Any], action_id: str) -> None:
        """Answer a button press or select pick whose route is `action_id`."""
        ...


def _sink(interaction: discord.Interaction[Any]) -> ComponentSink:
    client = interaction.client
    if not isinstance(client, ComponentSink):
        raise TypeError(f"{type(client).__name__} cannot take component presses")
    return client


def pick_id(index: int) -> str:
    return f"~pick:{index}"


class _FromId:
    """Rebuilds an item from its custom_id alone: discord.py matches a pressed
    id against each template and calls `from_custom_id`; `from_match` says
    what the matched parts mean."""

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls.from_match(match)

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        """Overridden by every item class below (RouteButton, PickSelect)."""
        raise NotImplementedError(f"{cls.__name__} must say what its matched id means")


class RouteButton(
    _FromId, discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=ROUTE_TEMPLATE
):
    """A button whose custom_id is a core route."""

    def __init__(
        self,
        action_id: str,
        *,
        label: str | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=action_id))

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match["route"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _sink(interaction).on_component(interaction, self.custom_id)


class PickSelect(
    _FromId, discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=PICK_TEMPLATE
):
    """A select menu whose option values are core routes."""

    def __init__(
        self,
        index: int,
        *,
        placeholder: str | None = None,
        options: list[discord.SelectOption] | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=pick_id(index),
                placeholder=placeholder,
                options=options or [],
                min_values=1,
                max_values=1,
            )
        )

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match["index"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        data: Any = interaction.data or {}
        values = data.get("values") or []
        if values:
            await _sink(interaction).on_component(interaction, str(values[0]))
