"""Discord INTERACTION_CREATE payloads, shaped as Discord documents them
(https://discord.com/developers/docs/interactions/receiving-and-responding):
a slash command with options, a component press on a message, a modal submit.

Feed one to a logged-in client as the gateway would:
`client._connection.parsers["INTERACTION_CREATE"](payload)`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.discord_api import APPLICATION_ID, user_json

MANAGE_EVENTS = 1 << 33
SEND_MESSAGES = 1 << 11
VIEW_CHANNEL = 1 << 10

_ids = itertools.count(1)


def snowflake() -> str:
    return str(1_200_000_000_000_000_000 + next(_ids))


@dataclass
class DiscordPerson:
    """A guild member who acts through interactions."""

    user_id: str
    name: str = "aki"
    guild_id: str | None = "700000000000000001"
    channel_id: str = "700000000000000002"
    locale: str = "ja"
    roles: list[str] = field(default_factory=list)
    permissions: int = VIEW_CHANNEL | SEND_MESSAGES

    def _base(self, kind: int, data: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": snowflake(),
            "application_id": APPLICATION_ID,
            "type": kind,
            "data": data,
            "token": f"tok-{snowflake()}",
            "version": 1,
            "locale": self.locale,
            "app_permissions": str(VIEW_CHANNEL | SEND_MESSAGES),
            "entitlements": [],
            "attachment_size_limit": 8 * 1024 * 1024,
            "channel_id": self.channel_id,
        }
        if self.guild_id is None:
            payload["user"] = user_json(self.user_id, self.name)
            payload["channel"] = {"id": self.channel_id, "type": 1}
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": "0"}
            return payload
        payload["guild_id"] = self.guild_id
        payload["guild_locale"] = "ja"
        payload["context"] = 0
        payload["authorizing_integration_owners"] = {"0": self.guild_id}
        payload["channel"] = {
            "id": self.channel_id,
            "type": 0,
            "guild_id": self.guild_id,
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        payload["member"] = {
            "user": user_json(self.user_id, self.name),
            "roles": list(self.roles),
            "permissions": str(self.permissions),
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "pending": False,
        }
        return payload

    def slash(self, sub: str, **options: str | int) -> dict[str, Any]:
        """`/ippo <sub> name:value...` (APPLICATION_COMMAND, type 2)."""
        types = {str: 3, int: 4}
        return self._base(
            2,
            {
                "id": "800000000000000001",
                "name": "ippo",
                "type": 1,
                "options": [
                    {
                        "name": sub,
                        "type": 1,
                        "options": [
                            {"name": k, "type": types[type(v)], "value": v}
                            for k, v in options.items()
                        ],
                    }
                ],
            },
        )

    def press(
        self, custom_id: str, message: dict[str, Any], *, values: list[str] | None = None
    ) -> dict[str, Any]:
        """A button (or, with `values`, a select) on `message` (MESSAGE_COMPONENT, type 3)."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values else 2}
        if values is not None:
            data["values"] = values
        payload = self._base(3, data)
        payload["message"] = message
        return payload

    def submit(
        self, custom_id: str, values: dict[str, str], message: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A modal submitted (MODAL_SUBMIT, type 5)."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
            for k, v in values.items()
        ]
        payload = self._base(5, {"custom_id": custom_id, "components": rows})
        if message is not None:
            payload["message"] = message
        return payload


def message_from_response(
    response: dict[str, Any], channel_id: str, *, message_id: str | None = None
) -> dict[str, Any]:
    """The message a reply created, as Discord includes it in a later
    component interaction (from a recorded interaction callback's `data`)."""
    data = response.get("data") or {}
    return {
        "id": message_id or snowflake(),
        "channel_id": channel_id,
        "type": 20,
        "content": data.get("content") or "",
        "author": user_json("900000000000000001", "ippo"),
        "attachments": [],
        "embeds": data.get("embeds") or [],
        "components": data.get("components") or [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": "2026-11-24T01:00:00+00:00",
        "edited_timestamp": None,
        "flags": data.get("flags") or 0,
    }


def custom_ids(response: dict[str, Any]) -> list[str]:
    data = response.get("data") or {}
    out: list[str] = []
    for row in data.get("components") or []:
        for component in row.get("components") or []:
            if "custom_id" in component:
                out.append(component["custom_id"])
            out.extend(o["value"] for o in component.get("options") or [])
    return out
