"""Button and form ids are routes: "<feature>:<verb>[:<arg>]".

What a button acts on is read back from the store when it is pressed, so a
restart or another instance handles it the same way. Ids stay short enough for
every platform (Discord custom_id <= 100 characters, Slack action_id <= 255).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ID_LENGTH = 100


class ActionIdError(ValueError):
    """An id that is not a well-formed route."""


@dataclass(frozen=True, slots=True)
class ActionId:
    feature: str
    verb: str
    arg: str = ""

    def encode(self) -> str:
        for part in (self.feature, self.verb):
            if not part or ":" in part:
                raise ActionIdError(f"bad route part {part!r}")
        encoded = (
            f"{self.feature}:{self.verb}:{self.arg}"
            if self.arg
            else (f"{self.feature}:{self.verb}")
        )
        if len(encoded) > MAX_ID_LENGTH:
            raise ActionIdError(f"route longer than {MAX_ID_LENGTH} characters: {encoded!r}")
        return encoded

    @classmethod
    def decode(cls, raw: str) -> ActionId:
        parts = raw.split(":", 2)
        if len(parts) < 2 or not parts[0] or not parts[1] or len(raw) > MAX_ID_LENGTH:
            raise ActionIdError(f"not a route: {raw!r}")
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else "")


def action(feature: str, verb: str, arg: object = "") -> str:
    """Shorthand: `action("step", "done", "watch-stream")` -> "step:done:watch-stream"."""
    return ActionId(feature, verb, str(arg)).encode()
