"""The step catalog as the core sees it: rungs, reasons, traits, communities, steps.

Loaded and validated from YAML by `config.catalog_loader`; the core only reads it.
Every human text is a `Text` holding both languages.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.model import Lang

MATCH_CUTOFF = 0.8  # difflib ratio from which a typed text means a step's title
MATCH_MIN_LENGTH = 4  # shorter texts must match a title exactly


def loose(text: str) -> str:
    """`text` for comparing titles: NFKC (full-width to half-width), case
    folded, with only letters and digits kept."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


Cost = Literal["free", "paid"]
Mode = Literal["online", "in_person", "either"]
ReasonGroup = Literal["self", "organisation"]


@dataclass(frozen=True, slots=True)
class Text:
    ja: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True, slots=True)
class Rung:
    level: int  # 1 = just watch or listen; higher is a bigger step
    name: Text
    description: Text


@dataclass(frozen=True, slots=True)
class Reason:
    id: str
    group: ReasonGroup
    label: Text


@dataclass(frozen=True, slots=True)
class Trait:
    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class Community:
    id: str
    name: Text
    description: Text
    cost: Cost
    url: str | None = None
    monthly_fee_yen: int | None = None


@dataclass(frozen=True, slots=True)
class Department:
    """One of the organisation's departments, for coffee introductions
    (optional: without a list, members type their department freely)."""

    id: str
    name: Text


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    rung: int
    title: Text  # short name: "Watch one evening live stream"
    action: Text  # one small action for this week, used by nudges
    detail: Text  # why it helps, what to expect
    cost: Cost
    mode: Mode
    reasons: tuple[str, ...]  # reason ids this step serves
    traits: tuple[str, ...] = ()
    community: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Catalog:
    rungs: tuple[Rung, ...]
    reasons: tuple[Reason, ...]
    traits: tuple[Trait, ...]
    communities: tuple[Community, ...]
    steps: tuple[Step, ...]
    departments: tuple[Department, ...] = ()

    @property
    def top_rung(self) -> int:
        return max(r.level for r in self.rungs)

    def rung(self, level: int) -> Rung:
        return next(r for r in self.rungs if r.level == level)

    @property
    def steps_by_id(self) -> Mapping[str, Step]:
        return {s.id: s for s in self.steps}

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def find_step(self, typed: str) -> Step | None:
        """The step a member means by `typed`: its id, or its title in either
        language written loosely (full-width or half-width, any case, spaces
        and punctuation ignored), or close enough to one title (a slip of the
        keyboard, "watched" for "watch"). None when nothing is that close."""
        if (step := self.step(typed.strip())) is not None:
            return step
        key = loose(typed)
        if len(key) < MATCH_MIN_LENGTH:
            return None
        titles = {loose(title): s for s in self.steps for title in (s.title.ja, s.title.en)}
        if key in titles:
            return titles[key]
        close = difflib.get_close_matches(key, list(titles), n=1, cutoff=MATCH_CUTOFF)
        return titles[close[0]] if close else None

    def reason(self, reason_id: str) -> Reason | None:
        return next((r for r in self.reasons if r.id == reason_id), None)

    def department(self, typed: str) -> Department | None:
        """The department a member means: its id or its name in either
        language, written loosely (`loose`)."""
        key = loose(typed)
        for dept in self.departments:
            if key and key in (loose(dept.id), loose(dept.name.ja), loose(dept.name.en)):
                return dept
        return None

    def community(self, community_id: str) -> Community | None:
        return next((c for c in self.communities if c.id == community_id), None)
