"""Requests exactly as Slack sends them to an app in HTTP mode, signed.

- slash commands: form fields (`command`, `text`, `user_id`, ...);
- interactivity: one form field `payload=` holding the JSON payload;
- events: a JSON body.
Each comes with `X-Slack-Request-Timestamp` and `X-Slack-Signature`
(`v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

Json = dict[str, Any]


def signed_headers(
    secret: str, body: str, content_type: str, *, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


FORM = "application/x-www-form-urlencoded"


def slash_command(
    text: str,
    *,
    user: str,
    team: str = "T0001",
    channel: str = "C0001",
    response_url: str,
    trigger_id: str = "trigger-1",
    command: str = "/ippo",
) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general" if channel.startswith("C") else "directmessage",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "AFAKE",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def block_action(
    action_id: str,
    *,
    user: str,
    team: str = "T0001",
    channel: str | None = "C0001",
    message_ts: str = "1700000000.000100",
    response_url: str | None,
    trigger_id: str = "trigger-2",
    value: str | None = None,
    selected: str | None = None,
) -> str:
    """A `block_actions` payload for a button (or a select when `selected`)."""
    action: Json = {
        "action_id": action_id,
        "block_id": "b1",
        "type": "button",
        "action_ts": "1700000001.000200",
    }
    if selected is not None:
        action.update(type="static_select", selected_option={"value": selected})
    else:
        action["value"] = value if value is not None else action_id
    payload: Json = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": "AFAKE",
        "token": "legacy-verification-token",
        "trigger_id": trigger_id,
        "team": {"id": team, "domain": "fake"},
        "actions": [action],
    }
    if channel is not None:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": True,
        }
        payload["channel"] = {"id": channel, "name": "general"}
        payload["message"] = {"type": "message", "ts": message_ts, "text": ""}
    else:
        payload["container"] = {"type": "view", "view_id": "VHOME"}
        payload["view"] = {"id": "VHOME", "type": "home"}
    if response_url is not None:
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


def view_submission(
    callback_id: str,
    values: dict[str, str],
    *,
    user: str,
    team: str = "T0001",
    private_metadata: str = "",
) -> str:
    state = {
        key: {key: {"type": "plain_text_input", "value": value}} for key, value in values.items()
    }
    payload: Json = {
        "type": "view_submission",
        "team": {"id": team, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": "AFAKE",
        "token": "legacy-verification-token",
        "trigger_id": "trigger-3",
        "view": {
            "id": "VFAKE",
            "team_id": team,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": state},
            "hash": "1700000000.abc",
        },
    }
    return urlencode({"payload": json.dumps(payload)})


def event_callback(event: Json, *, event_id: str, team: str = "T0001") -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "api_app_id": "AFAKE",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": team, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}
            ],
        }
    )
