"""Delivery keys: small typed values that encode, prefix and parse themselves.

A delivery key names one message ippo promised to send (`deliveries.key` is
unique, so planning the same promise twice is a no-op). Each kind of
delivery declares its key once, as a frozen dataclass:

    @dataclass(frozen=True, slots=True)
    class NudgeKey(DeliveryKey):
        kind: ClassVar[str] = "nudge"
        member_id: int
        period: str

    NudgeKey(12, "2026-W49").encode()   -> "nudge:12:2026-W49"
    NudgeKey.prefix(12)                 -> "nudge:12:"   (every nudge of member 12)
    NudgeKey.parse("nudge:12:2026-W49") -> NudgeKey(member_id=12, period="2026-W49")
    NudgeKey.around("member_id", period="2026-W49") -> ("nudge:", ":2026-W49")

Fields are `int` or `str`, in declaration order; a text field may not hold the
separator, so a prefix of leading fields never matches another key's fields
(`nudge:1:` is not a prefix of `nudge:12:`). This module is the only place a
key is taken apart.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self, get_type_hints

SEP = ":"


class KeyError_(ValueError):
    """Text that is not a key of the expected kind."""


def _field_types(cls: type) -> tuple[tuple[str, type], ...]:
    """The key's fields and their types, worked out once per class."""
    known: tuple[tuple[str, type], ...] | None = cls.__dict__.get("_key_fields")
    if known is not None:
        return known
    hints = get_type_hints(cls)
    out: list[tuple[str, type]] = []
    for f in dataclasses.fields(cls):
        kind = hints[f.name]
        if kind not in (int, str):
            raise TypeError(f"{cls.__name__}.{f.name}: key fields are int or str, not {kind}")
        out.append((f.name, kind))
    setattr(cls, "_key_fields", tuple(out))  # noqa: B010 - a class attribute, not a field
    return tuple(out)


def _part(value: object) -> str:
    text = str(value)
    if SEP in text or not text:
        raise KeyError_(f"a key part may not be empty or hold {SEP!r}: {text!r}")
    return text


class DeliveryKey:
    """Base of every delivery key; subclasses are frozen dataclasses."""

    kind: ClassVar[str]

    def encode(self) -> str:
        parts = [_part(getattr(self, name)) for name, _ in _field_types(type(self))]
        return SEP.join([self.kind, *parts])

    def __str__(self) -> str:
        return self.encode()

    @classmethod
    def prefix(cls, *leading: int | str) -> str:
        """The start shared by every key whose first fields are `leading`."""
        if len(leading) > len(_field_types(cls)):
            raise KeyError_(f"{cls.__name__} has fewer fields than {leading!r}")
        return SEP.join([cls.kind, *(_part(v) for v in leading)]) + SEP

    @classmethod
    def around(cls, field: str, **others: int | str) -> tuple[str, str]:
        """The key's text before and after `field`, every other field given:
        for set-based writes where the database fills `field` in row by row
        (a member's id). ``NudgeKey.around("member_id", period="2026-W49")``
        is ``("nudge:", ":2026-W49")``."""
        names = [name for name, _ in _field_types(cls)]
        if field not in names or set(others) != set(names) - {field}:
            raise KeyError_(f"{cls.__name__}: give every field but {field!r}, not {others!r}")
        at = names.index(field)
        head = SEP.join([cls.kind, *(_part(others[n]) for n in names[:at])]) + SEP
        tail = "".join(SEP + _part(others[n]) for n in names[at + 1 :])
        return head, tail

    @classmethod
    def parse(cls, raw: str) -> Self:
        kinds = _field_types(cls)
        parts = raw.split(SEP)
        if parts[0] != cls.kind or len(parts) != len(kinds) + 1:
            raise KeyError_(f"not a {cls.kind} key: {raw!r}")
        values: dict[str, Any] = {}
        for (name, kind), text in zip(kinds, parts[1:], strict=True):
            if kind is int:
                if not text.lstrip("-").isdigit():
                    raise KeyError_(f"{cls.kind} key: {name} is not a number in {raw!r}")
                values[name] = int(text)
            else:
                values[name] = text
        return cls(**values)

    @classmethod
    def matches(cls, raw: str) -> bool:
        return raw.startswith(cls.kind + SEP)
