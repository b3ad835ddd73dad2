"""Message catalogs: every user-visible string lives in `ja/*.toml` / `en/*.toml`.

Each feature owns one file per language (`core.toml`, `nudges.toml`, ...);
the files of a language are merged and a key defined twice is an error. Keys
are dotted ids ("step.title"); values are `str.format` templates. A test checks
both languages have the same messages and placeholders, so no message lacks a
translation.

Plurals: a message that depends on a number is a table of plural forms,

    [privacy.entries]            # en
    one = "{count} entry"
    other = "{count} entries"

    [privacy.entries]            # ja: Japanese has one form
    other = "{count}件"

and `t("privacy.entries", count=n)` picks the form `PLURAL_RULES` names for
`n` in the catalog's language (falling back to `other`). Each language has
exactly its own forms (`PLURAL_FORMS`), which the catalog test checks.
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

PLURAL_FORMS: Mapping[Lang, tuple[str, ...]] = {"ja": ("other",), "en": ("one", "other")}
"""The plural forms (CLDR categories) each language's catalog writes out."""


def plural_form(lang: Lang, count: int) -> str:
    """The CLDR plural category of a whole number `count` in `lang`."""
    if lang == "en" and count == 1:
        return "one"
    return "other"


def message_ids(catalog: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Each message id of a catalog with its plural forms (`()` for a plain
    message): `privacy.entries.one` and `.other` are the id `privacy.entries`
    with forms ("one", "other")."""
    forms = {form for forms in PLURAL_FORMS.values() for form in forms}
    out: dict[str, list[str]] = {}
    for key in catalog:
        head, _, tail = key.rpartition(".")
        if tail in forms and head and head not in catalog:
            out.setdefault(head, []).append(tail)
        else:
            out.setdefault(key, [])
    return {key: tuple(sorted(found)) for key, found in out.items()}


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
        """The message `key` with `values` filled in; for a plural message the
        form that fits `values["count"]`. A missing key is a bug the catalog
        test catches; at run time it raises KeyError loudly."""
        template = self.catalog.get(key)
        if template is None:
            count = values.get("count")
            if not isinstance(count, int):
                raise KeyError(key)
            form = f"{key}.{plural_form(self.lang, count)}"
            template = self.catalog.get(form) or self.catalog[f"{key}.other"]
        return template.format(**values)

    def has(self, key: str) -> bool:
        return key in self.catalog or f"{key}.other" in self.catalog
