"""The Discord adapter (discord.py): translate interactions to core events,
render core messages as Discord messages, send nudges and announcements.

`DiscordAdapter` is what `ippo run` starts when `DISCORD_TOKEN` is set;
`sync_commands` backs `ippo discord sync [--guild ID]`.
"""

from adapters.discord.client import DiscordAdapter, sync_commands

__all__ = ["DiscordAdapter", "sync_commands"]
