"""The app manifest creates what the adapter listens to, with only the scopes
its Web API calls need."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).parents[1] / "adapters" / "slack" / "manifest.yaml"

# Web API method -> the bot scope it needs (methods the adapter calls).
SCOPES_BY_METHOD = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
}
# conversations.open with several users opens a group DM (a coffee introduction).
GROUP_DM_SCOPES = {"mpim:write"}
HISTORY_SCOPES = {"im:history", "mpim:history", "channels:history", "groups:history"}


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_manifest_declares_command_home_interactivity_and_socket_mode() -> None:
    m = manifest()
    assert [c["command"] for c in m["features"]["slash_commands"]] == ["/ippo"]
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert m["settings"]["socket_mode_enabled"] is True
    assert m["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "message.im",  # the Messages tab: commands typed in the bot's DM
        "app_uninstalled",  # Bolt's token revocation listeners (multi-workspace)
        "tokens_revoked",
    ]


def test_a_writable_messages_tab_is_read_by_the_bot() -> None:
    """Members type in a writable Messages tab; that arrives only as message.im,
    which needs im:history. Either both, or a read-only tab."""
    m = manifest()
    home = m["features"]["app_home"]
    writable = home["messages_tab_enabled"] and not home["messages_tab_read_only_enabled"]
    assert writable
    assert "message.im" in m["settings"]["event_subscriptions"]["bot_events"]
    assert "im:history" in m["oauth_config"]["scopes"]["bot"]


def test_manifest_asks_for_the_scopes_used_and_no_more() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    needed = {"commands"} | set(SCOPES_BY_METHOD.values()) | GROUP_DM_SCOPES | HISTORY_SCOPES
    assert scopes == needed


def test_manifest_ships_in_the_package() -> None:
    import adapters.slack

    assert (Path(adapters.slack.__file__).parent / "manifest.yaml").is_file()
