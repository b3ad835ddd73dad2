"""Message catalogs: every user-visible string lives in `ja/*.toml` / `en/*.toml`.

Each feature owns one file per language (`core.toml`, `nudges.toml`, ...);
the files of a language are merged and a key defined twice is an error. Keys
are dotted ids ("step.title"); values are `str.format` templates. A test checks
both languages have the same keys and placeholders, so no message lacks a
translation.
"""

from __future__ import annotations

import string
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from bot.model import LANGS, Lang


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


def load_catalog(lang: Lang) -> dict[str, str]:
    """All messages of one language, flattened to dotted keys."""
    out: dict[str, str] = {}
    folder = resources.files(__package__).joinpath(lang)
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if not item.name.endswith(".toml"):
            continue
        part: dict[str, str] = {}
        _flatten("", tomllib.loads(item.read_text(encoding="utf-8")), part)
        twice = set(part) & set(out)
        if twice:
            raise ValueError(f"{lang}/{item.name} redefines {sorted(twice)}")
        out.update(part)
    return out


def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True, slots=True)
class Messages:
    """Both catalogs, loaded once by whoever builds the core."""

    catalogs: Mapping[Lang, Mapping[str, str]]

    @classmethod
    def load(cls) -> Messages:
        return cls({lang: load_catalog(lang) for lang in LANGS})

    def for_lang(self, lang: Lang) -> Translator:
        return Translator(lang, self.catalogs[lang])

    def pick(self, typed: str, prefix: str, choices: Iterable[str]) -> str | None:
        """Which of `choices` a member typed, in either language: each catalog
        lists under `{prefix}.{choice}` the words (space-separated) that mean
        it, so `/ippo nudge オフ` and `/ippo nudge off` are the same command."""
        word = unicodedata.normalize("NFKC", typed).strip().lower()
        for choice in choices:
            key = f"{prefix}.{choice}"
            if any(word in catalog[key].lower().split() for catalog in self.catalogs.values()):
                return choice
        return None


@dataclass(frozen=True, slots=True)
class Translator:
    lang: Lang
    catalog: Mapping[str, str]

    def __call__(self, key: str, **values: object) -> str:
        """The message `key` with `values` filled in. A missing key is a bug
        the catalog test catches; at run time it raises KeyError loudly."""
        return self.catalog[key].format(**values)

    def has(self, key: str) -> bool:
        return key in self.catalog
