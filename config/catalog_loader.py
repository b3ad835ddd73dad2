"""Load and validate the step catalog (`catalog.yaml`) into `bot.catalog.Catalog`.

The YAML is read with the node API (`yaml.compose`) rather than `yaml.safe_load`
so that every problem can point at the line it comes from: operators edit this
file by hand, and "catalog.yaml:42: step 'x': unknown rung 7" is far more useful
than a stack trace. The checker keeps going after a problem and reports all of
them at once, so one edit-and-run cycle fixes the whole file.

A catalog object is built only when there are no problems at all; the core can
therefore trust every id a `Step` refers to.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml

from bot.catalog import (
    Catalog,
    Community,
    Cost,
    Department,
    Mode,
    Reason,
    ReasonGroup,
    Rung,
    Step,
    Text,
    Trait,
)

__all__ = [
    "CatalogError",
    "CatalogProblem",
    "check_catalog_file",
    "default_catalog_path",
    "load_catalog",
]

SUPPORTED_VERSION: Final = 1

_ID_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_RE: Final = re.compile(r"^https?://\S+$")
_COSTS: Final[tuple[Cost, ...]] = ("free", "paid")
_MODES: Final[tuple[Mode, ...]] = ("online", "in_person", "either")
_GROUPS: Final[tuple[ReasonGroup, ...]] = ("self", "organisation")
_LANG_KEYS: Final = ("ja", "en")

_T = TypeVar("_T")
_C = TypeVar("_C", bound=str)
_Reader = Callable[[yaml.Node | None, str], object]
"""Reads one value of an entry, reporting what is wrong with it (None then)."""
_Parser = Callable[[yaml.Node, str], _T | None]

_INT_TAG: Final = "tag:yaml.org,2002:int"
_NULL_TAG: Final = "tag:yaml.org,2002:null"

# Allowed keys per kind of entry: (required, optional).
_TOP_KEYS: Final = (
    ("version", "rungs", "reasons", "steps"),
    ("traits", "communities", "departments"),
)
_DEPARTMENT_KEYS: Final = (("id", "name"), ())
_RUNG_KEYS: Final = (("level", "name", "description"), ())
_REASON_KEYS: Final = (("id", "group", "label"), ())
_TRAIT_KEYS: Final = (("id", "label"), ())
_COMMUNITY_KEYS: Final = (("id", "name", "description", "cost"), ("url", "monthly_fee_yen"))
_STEP_KEYS: Final = (
    ("id", "rung", "title", "action", "detail", "cost", "mode", "reasons"),
    ("traits", "community", "url"),
)


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """One thing wrong with a catalog file; `line` is 1-based, None when unknown."""

    line: int | None
    message: str
    file: str = field(default="catalog.yaml", compare=False)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """Raised by `load_catalog` with every problem found, not just the first."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        self.problems = problems
        count = len(problems)
        header = f"invalid catalog ({count} problem{'s' if count != 1 else ''})"
        super().__init__("\n".join([header, *(f"  {p}" for p in problems)]))


def default_catalog_path() -> Path:
    """The catalog shipped next to this module (package data when installed)."""
    return Path(__file__).resolve().parent / "catalog.yaml"


def load_catalog(path: Path) -> Catalog:
    """Read and validate `path`; raise `CatalogError` listing all problems."""
    catalog, problems = _check(path)
    if problems or catalog is None:
        raise CatalogError(problems)
    return catalog


def check_catalog_file(path: Path) -> list[CatalogProblem]:
    """Every problem in the catalog at `path`, in line order (empty when valid)."""
    return _check(path)[1]


# --------------------------------------------------------------------------- internals


def _check(path: Path) -> tuple[Catalog | None, list[CatalogProblem]]:
    name = path.name
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [CatalogProblem(None, f"cannot read file: {exc}", name)]
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, name)]
    checker = _Checker(name)
    catalog = checker.check(root)
    problems = sorted(checker.problems, key=lambda p: (p.line is None, p.line or 0))
    return (catalog if not problems else None), problems


def _syntax_problem(exc: yaml.YAMLError, name: str) -> CatalogProblem:
    line: int | None = None
    message = str(exc)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            line = mark.line + 1
        context = exc.context
        if context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            # e.g. an unclosed bracket: say where it was opened, too.
            context = f"{context} (from line {exc.context_mark.line + 1})"
        parts = [context, exc.problem]
        message = ", ".join(p for p in parts if p) or message
    return CatalogProblem(line, f"YAML syntax error: {message}", name)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    return repr(node.value)


@dataclass(slots=True)
class _Entry:
    """A mapping's allowed keys with their key and value nodes (first occurrence)."""

    keys: dict[str, tuple[yaml.Node, yaml.Node]]

    def get(self, key: str) -> yaml.Node | None:
        pair = self.keys.get(key)
        return None if pair is None else pair[1]


@dataclass(slots=True)
class _Checker:
    """One pass over one document; collects problems instead of raising."""

    file: str
    problems: list[CatalogProblem] = field(default_factory=list)

    # ---------------------------------------------------------------- reporting

    def report(self, node: yaml.Node | int | None, message: str) -> None:
        line = _line(node) if isinstance(node, yaml.Node) else node
        self.problems.append(CatalogProblem(line, message, self.file))

    # ---------------------------------------------------------------- document

    def check(self, root: yaml.Node | None) -> Catalog | None:
        if root is None:
            self.report(None, "the file is empty")
            return None
        top = self.entry(root, "the catalog", _TOP_KEYS)
        if top is None:
            return None

        version = top.get("version")
        if version is not None:
            number = self.integer(version, "the catalog: version")
            if number is not None and number != SUPPORTED_VERSION:
                self.report(
                    version, f"unsupported catalog version {number} (expected {SUPPORTED_VERSION})"
                )

        rungs = self.section(top, "rungs", "rung", required=True, parse=self.rung)
        reasons = self.section(top, "reasons", "reason", required=True, parse=self.reason)
        traits = self.section(top, "traits", "trait", required=False, parse=self.trait)
        communities = self.section(
            top, "communities", "community", required=False, parse=self.community
        )
        departments = self.section(
            top, "departments", "department", required=False, parse=self.department
        )
        self.ids(top.get("departments"), "department")  # only to report duplicates
        levels = self.check_rung_levels(top.get("rungs"))
        known = _Known(
            levels=levels,
            reasons=self.ids(top.get("reasons"), "reason"),
            traits=self.ids(top.get("traits"), "trait"),
            communities=self.ids(top.get("communities"), "community"),
        )
        self.ids(top.get("steps"), "step")  # only to report duplicate step ids
        steps = self.section(
            top, "steps", "step", required=True, parse=lambda n, w: self.step(n, w, known)
        )

        if (
            self.problems
            or rungs is None
            or reasons is None
            or traits is None
            or communities is None
            or steps is None
            or departments is None
        ):
            return None
        return Catalog(
            rungs=tuple(sorted(rungs, key=lambda r: r.level)),
            reasons=tuple(reasons),
            traits=tuple(traits),
            communities=tuple(communities),
            steps=tuple(steps),
            departments=tuple(departments),
        )

    # ---------------------------------------------------------------- generic shapes

    def entry(
        self, node: yaml.Node, where: str, keys: tuple[tuple[str, ...], tuple[str, ...]]
    ) -> _Entry | None:
        """Check `node` is a mapping with exactly the allowed keys."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"{where}: expected a mapping, got {_describe(node)}")
            return None
        required, optional = keys
        allowed = (*required, *optional)
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.report(key_node, f"{where}: keys must be plain names")
                continue
            if key in found:
                first = _line(found[key][0])
                self.report(key_node, f"{where}: key '{key}' appears twice (first on line {first})")
                continue
            found[key] = (key_node, value_node)
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
                allowed_list = ", ".join(allowed)
                self.report(
                    key_node, f"{where}: unknown key '{key}'{suffix}; allowed: {allowed_list}"
                )
        for key in required:
            if key not in found:
                self.report(node, f"{where}: missing required key '{key}'")
        return _Entry({k: v for k, v in found.items() if k in allowed})

    def section(
        self,
        top: _Entry,
        key: str,
        kind: str,
        *,
        required: bool,
        parse: _Parser[_T],
    ) -> list[_T] | None:
        """Parse a top-level list; None if any entry (or the list) is broken."""
        node = top.get(key)
        if node is None:
            return None if required else []
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"{key}: expected a list, got {_describe(node)}")
            return None
        if required and not node.value:
            self.report(node, f"{key}: the list is empty; at least one {kind} is needed")
            return None
        items: list[_T] = []
        ok = True
        for index, item in enumerate(node.value):
            parsed = parse(item, self.label(item, kind, index))
            if parsed is None:
                ok = False
            else:
                items.append(parsed)
        return items if ok else None

    def label(self, item: yaml.Node, kind: str, index: int) -> str:
        """How messages name an entry: "step 'x'" when it has an id, else "steps[3]"."""
        key = "level" if kind == "rung" else "id"
        value = _scalar_value(item, key)
        if value is not None:
            return f"{kind} {value}" if kind == "rung" else f"{kind} '{value}'"
        plural = "communities" if kind == "community" else f"{kind}s"
        return f"{plural}[{index}]"

    def ids(self, node: yaml.Node | None, kind: str) -> set[str]:
        """Collect (and check) the ids of a section, reporting duplicates.

        Ids are gathered even from otherwise broken entries so that a typo in,
        say, a reason's label does not cascade into "unknown reason" everywhere.
        """
        seen: dict[str, int] = {}
        if not isinstance(node, yaml.SequenceNode):
            return set()
        for item in node.value:
            id_node = _child(item, "id")
            if not isinstance(id_node, yaml.ScalarNode) or id_node.tag == _NULL_TAG:
                continue
            value = str(id_node.value)
            if value in seen:
                self.report(
                    id_node, f"duplicate {kind} id '{value}' (first defined on line {seen[value]})"
                )
            else:
                seen[value] = _line(id_node)
        return set(seen)

    def check_rung_levels(self, node: yaml.Node | None) -> frozenset[int]:
        """Rung levels must be 1..n with no gaps or repeats; returns the valid ones."""
        if not isinstance(node, yaml.SequenceNode):
            return frozenset()
        levels: dict[int, int] = {}
        for item in node.value:
            level_node = _child(item, "level")
            if level_node is None:
                continue
            level = _as_int(level_node)
            if level is None:
                continue  # reported by rung()
            if level in levels:
                self.report(
                    level_node,
                    f"duplicate rung level {level} (first defined on line {levels[level]})",
                )
                continue
            levels[level] = _line(level_node)
        expected = set(range(1, len(levels) + 1))
        if levels and set(levels) != expected:
            found = ", ".join(str(n) for n in sorted(levels))
            offender = min(set(levels) - expected)
            self.report(
                levels[offender],
                f"rungs must be numbered consecutively from 1 (found {found})",
            )
        return frozenset(levels)

    # ---------------------------------------------------------------- scalars

    def text(self, node: yaml.Node | None, where: str) -> Text | None:
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            self.report(
                node, f"{where}: expected a mapping with 'ja' and 'en', got {_describe(node)}"
            )
            return None
        entry = self.entry(node, where, ((), _LANG_KEYS))
        if entry is None:
            return None
        values: dict[str, str] = {}
        for lang in _LANG_KEYS:
            value_node = entry.get(lang)
            if value_node is None:
                self.report(node, f"{where}: missing '{lang}' translation")
                continue
            value = self.string(value_node, f"{where}.{lang}")
            if value is not None:
                values[lang] = value
        if len(values) != len(_LANG_KEYS):
            return None
        return Text(ja=values["ja"], en=values["en"])

    def string(self, node: yaml.Node | None, where: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, f"{where}: expected text, got {_describe(node)}")
            return None
        value = "" if node.tag == _NULL_TAG else str(node.value).strip()
        if not value:
            self.report(node, f"{where} is empty")
            return None
        return value

    def integer(self, node: yaml.Node | None, where: str) -> int | None:
        if node is None:
            return None
        value = _as_int(node)
        if value is None:
            self.report(node, f"{where}: expected a whole number, got {_describe(node)}")
        return value

    def identifier(self, node: yaml.Node | None, where: str) -> str | None:
        value = self.string(node, where)
        if value is None or node is None:
            return None
        if not _ID_RE.match(value):
            self.report(node, f"{where}: id '{value}' must be kebab-case (a-z, 0-9 and '-')")
            return None
        return value

    def choice(self, node: yaml.Node | None, where: str, options: tuple[_C, ...]) -> _C | None:
        value = self.string(node, where)
        if value is None or node is None:
            return None
        for option in options:
            if value == option:
                return option
        self.report(node, f"{where} must be one of {', '.join(options)} (got '{value}')")
        return None

    def url(self, node: yaml.Node | None, where: str) -> str | None:
        value = self.string(node, where)
        if value is not None and node is not None and not _URL_RE.match(value):
            self.report(node, f"{where}: '{value}' is not an http(s) URL")
            return None
        return value

    def id_list(self, node: yaml.Node | None, where: str) -> list[tuple[str, yaml.Node]] | None:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"{where}: expected a list of ids, got {_describe(node)}")
            return None
        out: list[tuple[str, yaml.Node]] = []
        ok = True
        for item in node.value:
            value = self.string(item, where)
            if value is None:
                ok = False
            else:
                out.append((value, item))
        return out if ok else None

    # ---------------------------------------------------------------- entries

    def fields(
        self,
        node: yaml.Node,
        where: str,
        keys: tuple[tuple[str, ...], tuple[str, ...]],
        **readers: _Reader,
    ) -> dict[str, Any] | None:
        """An entry whose every key is read by its reader, in order (so each
        problem is reported); None if the entry or any value is wrong."""
        entry = self.entry(node, where, keys)
        if entry is None:
            return None
        values = {key: read(entry.get(key), f"{where}: {key}") for key, read in readers.items()}
        return None if any(v is None for v in values.values()) else values

    def rung(self, node: yaml.Node, where: str) -> Rung | None:
        found = self.fields(
            node, where, _RUNG_KEYS, level=self.integer, name=self.text, description=self.text
        )
        return None if found is None else Rung(**found)

    def reason(self, node: yaml.Node, where: str) -> Reason | None:
        def group(n: yaml.Node | None, w: str) -> str | None:
            return self.choice(n, w, _GROUPS)

        found = self.fields(
            node, where, _REASON_KEYS, id=self.identifier, group=group, label=self.text
        )
        return None if found is None else Reason(**found)

    def trait(self, node: yaml.Node, where: str) -> Trait | None:
        found = self.fields(node, where, _TRAIT_KEYS, id=self.identifier, label=self.text)
        return None if found is None else Trait(**found)

    def department(self, node: yaml.Node, where: str) -> Department | None:
        found = self.fields(node, where, _DEPARTMENT_KEYS, id=self.identifier, name=self.text)
        return None if found is None else Department(**found)

    def community(self, node: yaml.Node, where: str) -> Community | None:
        entry = self.entry(node, where, _COMMUNITY_KEYS)
        if entry is None:
            return None
        id_ = self.identifier(entry.get("id"), f"{where}: id")
        name = self.text(entry.get("name"), f"{where}: name")
        description = self.text(entry.get("description"), f"{where}: description")
        cost = self.choice(entry.get("cost"), f"{where}: cost", _COSTS)
        url_node = entry.get("url")
        url = self.url(url_node, f"{where}: url")
        fee_node = entry.get("monthly_fee_yen")
        fee = self.integer(fee_node, f"{where}: monthly_fee_yen")
        if fee is not None and fee < 0:
            self.report(fee_node, f"{where}: monthly_fee_yen cannot be negative")
            return None
        if (
            id_ is None
            or name is None
            or description is None
            or cost is None
            or (url_node is not None and url is None)
            or (fee_node is not None and fee is None)
        ):
            return None
        return Community(
            id=id_, name=name, description=description, cost=cost, url=url, monthly_fee_yen=fee
        )

    def step(self, node: yaml.Node, where: str, known: _Known) -> Step | None:
        entry = self.entry(node, where, _STEP_KEYS)
        if entry is None:
            return None
        id_ = self.identifier(entry.get("id"), f"{where}: id")
        rung_node = entry.get("rung")
        rung = self.integer(rung_node, f"{where}: rung")
        if rung is not None and known.levels and rung not in known.levels:
            self.report(rung_node, f"{where}: unknown rung {rung} ({known.describe_levels()})")
            rung = None
        title = self.text(entry.get("title"), f"{where}: title")
        action = self.text(entry.get("action"), f"{where}: action")
        detail = self.text(entry.get("detail"), f"{where}: detail")
        cost = self.choice(entry.get("cost"), f"{where}: cost", _COSTS)
        mode = self.choice(entry.get("mode"), f"{where}: mode", _MODES)

        reasons_node = entry.get("reasons")
        reasons = self.id_list(reasons_node, f"{where}: reasons")
        if reasons is not None and reasons_node is not None and not reasons:
            self.report(reasons_node, f"{where}: needs at least one reason")
            reasons = None
        reasons_ok = self.references(reasons, known.reasons, where, "reason")

        traits = self.id_list(entry.get("traits"), f"{where}: traits")
        traits_ok = self.references(traits, known.traits, where, "trait")

        community_node = entry.get("community")
        community = self.string(community_node, f"{where}: community")
        if community is not None and community not in known.communities:
            self.report(community_node, f"{where}: unknown community '{community}'")
            community = None
        url_node = entry.get("url")
        url = self.url(url_node, f"{where}: url")

        if (
            id_ is None
            or rung is None
            or title is None
            or action is None
            or detail is None
            or cost is None
            or mode is None
            or reasons is None
            or traits is None
            or not (reasons_ok and traits_ok)
            or (community_node is not None and community is None)
            or (url_node is not None and url is None)
        ):
            return None
        return Step(
            id=id_,
            rung=rung,
            title=title,
            action=action,
            detail=detail,
            cost=cost,
            mode=mode,
            reasons=tuple(r for r, _ in reasons),
            traits=tuple(t for t, _ in traits),
            community=community,
            url=url,
        )

    def references(
        self,
        refs: list[tuple[str, yaml.Node]] | None,
        known: set[str],
        where: str,
        kind: str,
    ) -> bool:
        """Report references to ids that do not exist, and repeats; True if all fine."""
        if refs is None:
            return False
        ok = True
        seen: set[str] = set()
        for value, node in refs:
            if value not in known:
                self.report(node, f"{where}: unknown {kind} '{value}'")
                ok = False
            elif value in seen:
                self.report(node, f"{where}: {kind} '{value}' is listed twice")
                ok = False
            seen.add(value)
        return ok


@dataclass(frozen=True, slots=True)
class _Known:
    """Ids and rung levels that steps may refer to."""

    levels: frozenset[int]
    reasons: set[str]
    traits: set[str]
    communities: set[str]

    def describe_levels(self) -> str:
        ordered = sorted(self.levels)
        if ordered == list(range(1, len(ordered) + 1)) and len(ordered) > 1:
            return f"rungs are 1-{ordered[-1]}"
        return "rungs are " + ", ".join(str(n) for n in ordered)


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    """The value node under `key` in a mapping node (first occurrence), if any."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node  # type: ignore[no-any-return]
    return None


def _scalar_value(node: yaml.Node, key: str) -> str | None:
    child = _child(node, key)
    if isinstance(child, yaml.ScalarNode) and child.tag != _NULL_TAG and str(child.value).strip():
        return str(child.value)
    return None


def _as_int(node: yaml.Node) -> int | None:
    """An integer scalar's value (YAML int tag only: "1" in quotes is text)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != _INT_TAG:
        return None
    try:
        text = str(node.value).replace("_", "")
        return int(text, 10) if text.lstrip("+-").isdigit() else int(text, 0)
    except ValueError:
        return None
