"""Button and form ids are routes: "<feature>:<verb>[:<arg>]".

Each kind of button is declared once as a typed `Route`, which builds its id
and reads the pressed id back into a typed argument, side by side (the idea
of discord.py's `DynamicItem` template):

    STEP_DONE = Route("step", "done", TEXT)
    Button(t("step.btn.done"), STEP_DONE.id(step.id))        # "step:done:watch-stream"
    Feature(..., presses=(STEP_DONE.on(mark_done),))           # mark_done(ctx, step_id: str)

What a button acts on is read back from the store when it is pressed, so a
restart or another instance handles it the same way. Ids stay short enough
for every platform (Discord custom_id <= 100 characters, Slack action_id <=
255). An id that does not decode — an old button, a forged id — raises
`ActionIdError`, which the member sees as "this button is out of date".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from bot.parse import MAX_ID

if TYPE_CHECKING:
    from bot.model import Reply
    from bot.router import Ctx

MAX_ID_LENGTH = 100
_SEP = ":"

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")


class ActionIdError(ValueError):
    """An id that is not a well-formed route."""


@dataclass(frozen=True, slots=True)
class ActionId:
    """A route on the wire: feature, verb and the argument as text."""

    feature: str
    verb: str
    arg: str = ""

    def encode(self) -> str:
        for part in (self.feature, self.verb):
            if not part or _SEP in part:
                raise ActionIdError(f"bad route part {part!r}")
        encoded = _SEP.join(
            (self.feature, self.verb, self.arg) if self.arg else (self.feature, self.verb)
        )
        if len(encoded) > MAX_ID_LENGTH:
            raise ActionIdError(f"route longer than {MAX_ID_LENGTH} characters: {encoded!r}")
        return encoded

    @classmethod
    def decode(cls, raw: str) -> ActionId:
        parts = raw.split(_SEP, 2)
        if len(parts) < 2 or not parts[0] or not parts[1] or len(raw) > MAX_ID_LENGTH:
            raise ActionIdError(f"not a route: {raw!r}")
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else "")


# --------------------------------------------------------------------------- argument codecs


class ArgCodec(Protocol[T]):
    """How a route's argument is written into the id and read back."""

    def encode(self, value: T) -> str: ...

    def decode(self, raw: str) -> T:
        """The argument, or ActionIdError."""
        ...


class _NoArg:
    def encode(self, value: None) -> str:
        return ""

    def decode(self, raw: str) -> None:
        if raw:
            raise ActionIdError(f"unexpected route argument {raw!r}")


class _Text:
    def encode(self, value: str) -> str:
        return value

    def decode(self, raw: str) -> str:
        return raw


class _Id:
    """A record id or a small number (a page, a level): 0 .. MAX_ID."""

    def encode(self, value: int) -> str:
        return str(value)

    def decode(self, raw: str) -> int:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
            raise ActionIdError(f"not an id: {raw!r}")
        value = int(raw)
        if value > MAX_ID:
            raise ActionIdError(f"id out of range: {raw!r}")
        return value


@dataclass(frozen=True, slots=True)
class Pair(Generic[A, B]):
    """Two arguments in one id, joined by `sep` (which the first may not hold)."""

    first: ArgCodec[A]
    second: ArgCodec[B]
    sep: str = "."

    def encode(self, value: tuple[A, B]) -> str:
        head = self.first.encode(value[0])
        if self.sep in head:
            raise ActionIdError(f"route argument {head!r} holds {self.sep!r}")
        return f"{head}{self.sep}{self.second.encode(value[1])}"

    def decode(self, raw: str) -> tuple[A, B]:
        head, sep, tail = raw.partition(self.sep)
        if not sep:
            raise ActionIdError(f"not a pair: {raw!r}")
        return self.first.decode(head), self.second.decode(tail)


NONE: ArgCodec[None] = _NoArg()
TEXT: ArgCodec[str] = _Text()
ID: ArgCodec[int] = _Id()


# --------------------------------------------------------------------------- routes

PressHandler = Callable[["Ctx", T], Awaitable[list["Reply"]]]
SubmitHandler = Callable[["Ctx", T, Mapping[str, str]], Awaitable[list["Reply"]]]


@dataclass(frozen=True, slots=True)
class Route(Generic[T]):
    """One kind of button or form: builds its id and reads a pressed id back."""

    feature: str
    verb: str
    arg: ArgCodec[T]

    def id(self, value: T) -> str:
        return ActionId(self.feature, self.verb, self.arg.encode(value)).encode()

    def read(self, pressed: ActionId) -> T:
        if (pressed.feature, pressed.verb) != (self.feature, self.verb):
            raise ActionIdError(f"{pressed!r} is not {self.feature}:{self.verb}")
        return self.arg.decode(pressed.arg)

    def on(self, handler: PressHandler[T]) -> OnPress[T]:
        """This route's button handler, for a feature's `presses`."""
        return OnPress(self, handler)

    def on_submit(self, handler: SubmitHandler[T]) -> OnSubmit[T]:
        """This route's form handler, for a feature's `forms`."""
        return OnSubmit(self, handler)


class Tap(Route[None]):
    """A route without an argument: `HOME_WHY.id()`."""

    def __init__(self, feature: str, verb: str) -> None:
        super().__init__(feature, verb, NONE)

    def id(self, value: None = None) -> str:
        return super().id(None)


@dataclass(frozen=True, slots=True)
class OnPress(Generic[T]):
    route: Route[T]
    handler: PressHandler[T]

    async def __call__(self, ctx: Ctx, pressed: ActionId) -> list[Reply]:
        return await self.handler(ctx, self.route.read(pressed))


@dataclass(frozen=True, slots=True)
class OnSubmit(Generic[T]):
    route: Route[T]
    handler: SubmitHandler[T]

    async def __call__(
        self, ctx: Ctx, submitted: ActionId, values: Mapping[str, str]
    ) -> list[Reply]:
        return await self.handler(ctx, self.route.read(submitted), values)


AnyPress = OnPress[Any]
AnySubmit = OnSubmit[Any]
