"""The two rules that keep the design: the core imports no platform, storage or
scheduler library, and nothing user-visible is missing a translation."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.i18n import PLURAL_FORMS, Messages, message_ids, placeholders
from bot.model import LANGS, Lang

FORBIDDEN = {
    "slack_bolt",
    "slack_sdk",
    "discord",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
    "storage",
    "adapters",
}
BOT = Path(__file__).resolve().parent.parent / "bot"


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_no_platform_storage_or_scheduler_library() -> None:
    offenders = {
        str(path.relative_to(BOT.parent)): sorted(imported_roots(path) & FORBIDDEN)
        for path in BOT.rglob("*.py")
        if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    catalogs = Messages.load().catalogs
    ids = {lang: message_ids(catalogs[lang]) for lang in LANGS}
    assert set(ids["ja"]) - set(ids["en"]) == set(), "messages missing in English"
    assert set(ids["en"]) - set(ids["ja"]) == set(), "messages missing in Japanese"
    # A plural message has exactly its language's forms, each using `count`.
    plural_ids = {key for lang in LANGS for key, forms in ids[lang].items() if forms}
    wrong_forms = [
        (lang, key)
        for lang in LANGS
        for key in plural_ids
        if ids[lang][key] != tuple(sorted(PLURAL_FORMS[lang]))
        or any("count" not in placeholders(catalogs[lang][f"{key}.{f}"]) for f in ids[lang][key])
    ]
    assert wrong_forms == []

    def used(lang: Lang, key: str) -> frozenset[str]:
        forms = ids[lang][key]
        keys = [f"{key}.{form}" for form in forms] if forms else [key]
        return frozenset().union(*(placeholders(catalogs[lang][k]) for k in keys))

    mismatched = [k for k in ids["ja"] if used("ja", k) != used("en", k)]
    assert mismatched == []
    empty = [(lang, k) for lang in LANGS for k, v in catalogs[lang].items() if not v.strip()]
    assert empty == []


def test_message_keys_used_in_code_exist() -> None:
    """Every literal key passed to a translator (`t("...")`) or UserError exists."""
    known = set(message_ids(Messages.load().catalogs["ja"]))
    missing: set[str] = set()
    for path in [*BOT.rglob("*.py"), *(BOT.parent / "adapters").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if (
                name in {"t", "UserError"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and "." in first.value
                and first.value not in known
            ):
                missing.add(f"{path.name}: {first.value}")
    assert missing == set()
