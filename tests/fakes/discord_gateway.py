"""A local fake of Discord's gateway (WebSocket, JSON text frames): HELLO,
heartbeat ACKs, READY after IDENTIFY, and dispatches the test pushes —
enough for discord.py's `Client.connect` to run as it does against Discord.

    async with FakeDiscordGateway() as gateway:
        ... IPPO_DISCORD_GATEWAY_URL=gateway.url ...
        await gateway.wait_identified()
        await gateway.dispatch("INTERACTION_CREATE", payload)
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_api import APPLICATION_ID, bot_user
from tests.fakes.server import LocalServer

DISPATCH, HEARTBEAT, IDENTIFY, HELLO, HEARTBEAT_ACK = 0, 1, 2, 10, 11
WAIT_LIMIT_S = 10.0


class FakeDiscordGateway:
    def __init__(self) -> None:
        self.identified: list[dict[str, Any]] = []  # IDENTIFY payloads received
        self.heartbeats = 0
        self._socket: web.WebSocketResponse | None = None
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._server = LocalServer()
        self.url = ""

    async def __aenter__(self) -> FakeDiscordGateway:
        app = web.Application()
        app.router.add_get("/", self._connect)
        origin = await self._server.start(app)
        self.url = origin.replace("http://", "ws://", 1) + "/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._socket is not None:
            await self._socket.close()
        await self._server.stop()

    async def wait_identified(self) -> dict[str, Any]:
        async with asyncio.timeout(WAIT_LIMIT_S), self._changed:
            await self._changed.wait_for(lambda: bool(self.identified))
        return self.identified[-1]

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._socket is not None, "nobody is connected"
        await self._socket.send_json({"op": DISPATCH, "t": event, "s": next(self._seq), "d": data})

    async def _connect(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"op": HELLO, "d": {"heartbeat_interval": 41_250}})
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                continue
            message = frame.json()
            if message["op"] == HEARTBEAT:
                self.heartbeats += 1
                await socket.send_json({"op": HEARTBEAT_ACK})
            elif message["op"] == IDENTIFY:
                await self.dispatch("READY", self._ready())
                async with self._changed:
                    self.identified.append(message["d"])
                    self._changed.notify_all()
        return socket

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": bot_user(),
            "guilds": [],
            "session_id": "fake-session",
            "resume_gateway_url": self.url,
            "application": {"id": APPLICATION_ID, "flags": 0},
        }
