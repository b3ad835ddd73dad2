"""The shipped step catalog and the loader's problem reports."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.catalog import Catalog, Text
from config.catalog_loader import (
    CatalogError,
    CatalogProblem,
    check_catalog_file,
    default_catalog_path,
    load_catalog,
)

# --------------------------------------------------------------------------- shipped catalog


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(default_catalog_path())


def _texts(catalog: Catalog) -> list[tuple[str, Text]]:
    out: list[tuple[str, Text]] = []
    for rung in catalog.rungs:
        out += [(f"rung {rung.level} name", rung.name), (f"rung {rung.level}", rung.description)]
    out += [(f"reason {r.id}", r.label) for r in catalog.reasons]
    out += [(f"trait {t.id}", t.label) for t in catalog.traits]
    for c in catalog.communities:
        out += [(f"community {c.id} name", c.name), (f"community {c.id}", c.description)]
    for s in catalog.steps:
        out += [(f"{s.id} title", s.title), (f"{s.id} action", s.action)]
        out += [(f"{s.id} detail", s.detail)]
    return out


def test_shipped_catalog_has_no_problems() -> None:
    path = default_catalog_path()
    assert path.name == "catalog.yaml"
    assert path.is_file()
    assert check_catalog_file(path) == []


def test_shipped_catalog_has_four_consecutive_rungs(shipped: Catalog) -> None:
    assert [r.level for r in shipped.rungs] == [1, 2, 3, 4]
    assert shipped.top_rung == 4


def test_shipped_catalog_has_enough_steps_on_every_rung(shipped: Catalog) -> None:
    assert len(shipped.steps) >= 20
    per_rung = {r.level: [s for s in shipped.steps if s.rung == r.level] for r in shipped.rungs}
    assert len(per_rung[1]) >= 6
    assert all(per_rung.values()), per_rung


@pytest.mark.parametrize("rung", [1, 2])
def test_every_reason_is_served_on_the_lower_rungs(shipped: Catalog, rung: int) -> None:
    served = {r for s in shipped.steps if s.rung == rung for r in s.reasons}
    assert {r.id for r in shipped.reasons} <= served


def test_reasons_cover_both_groups(shipped: Catalog) -> None:
    assert {r.group for r in shipped.reasons} == {"self", "organisation"}


def test_the_five_traits_are_present(shipped: Catalog) -> None:
    assert len(shipped.traits) == 5


def test_every_text_is_in_both_languages(shipped: Catalog) -> None:
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for where, text in _texts(shipped):
        assert text.ja.strip() and text.en.strip(), where
        assert text("ja") == text.ja and text("en") == text.en
        # Community names (MIRAI-HUB, LOCAL LETTER MEMBERSHIP) are the same in both.
        if not where.endswith(" name") or where.startswith("rung"):
            assert japanese.search(text.ja), f"{where}: ja is not Japanese: {text.ja!r}"
        assert not japanese.search(text.en), f"{where}: en contains Japanese: {text.en!r}"


def test_step_texts_fit_the_length_limits(shipped: Catalog) -> None:
    for step in shipped.steps:
        assert len(step.title.en) <= 40, step.id
        for lang in ("ja", "en"):
            assert len(step.action(lang)) <= 120, (step.id, lang)
            assert len(step.detail(lang)) <= 300, (step.id, lang)


def test_first_rung_is_online_and_free(shipped: Catalog) -> None:
    for step in shipped.steps:
        if step.rung == 1:
            assert step.cost == "free", step.id
            assert step.mode in ("online", "either"), step.id


def test_costs_agree_with_communities(shipped: Catalog) -> None:
    for step in shipped.steps:
        community = shipped.community(step.community) if step.community else None
        if community is not None and community.cost == "paid":
            assert step.cost == "paid", step.id
        if step.cost == "paid":
            assert step.rung == shipped.top_rung, step.id


def test_some_steps_need_no_community(shipped: Catalog) -> None:
    assert sum(1 for s in shipped.steps if s.community is None) >= 5
    assert {s.community for s in shipped.steps} >= {c.id for c in shipped.communities}


def test_paid_salon_fee_is_recorded(shipped: Catalog) -> None:
    salon = shipped.community("local-gov-online-salon")
    assert salon is not None
    assert salon.cost == "paid"
    assert salon.monthly_fee_yen == 1800


# --------------------------------------------------------------------------- broken catalogs

VALID = textwrap.dedent(
    """\
    version: 1
    rungs:
      - level: 1
        name: {ja: 見るだけ, en: Just watch}
        description: {ja: 見るだけです。, en: Only watching.}
      - level: 2
        name: {ja: 身近に, en: Close by}
        description: {ja: 近くです。, en: Nearby.}
      - level: 3
        name: {ja: 参加, en: Join in}
        description: {ja: 参加します。, en: Joining.}
      - level: 4
        name: {ja: 深く, en: Go deeper}
        description: {ja: 深めます。, en: Deeper.}
    reasons:
      - id: wider-view
        group: self
        label: {ja: 視野, en: Wider view}
      - id: co-creation
        group: organisation
        label: {ja: 共創, en: Co-creation}
    traits:
      - id: citizen-view
        label: {ja: 市民目線, en: Citizen's view}
    communities:
      - id: hall
        name: {ja: 市役所, en: Hall}
        description: {ja: 無料です。, en: Free.}
        cost: free
    steps:
      - id: watch
        rung: 1
        title:
          ja: 見る
          en: Watch
        action: {ja: 見ます。, en: Watch one.}
        detail: {ja: 役立ちます。, en: It helps.}
        cost: free
        mode: online
        reasons: [wider-view]
        traits: [citizen-view]
        community: hall
      - id: lunch
        rung: 2
        title: {ja: 昼食, en: Lunch}
        action: {ja: 食べます。, en: Eat.}
        detail: {ja: 話せます。, en: You talk.}
        cost: free
        mode: in_person
        reasons: [co-creation, wider-view]
    """
)


Write = Callable[[str], Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def _write(text: str) -> Path:
        path = tmp_path / "catalog.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def _edit(old: str, new: str, *, nth: int = 1) -> str:
    """VALID with the `nth` occurrence of `old` replaced by `new`."""
    start = -1
    for _ in range(nth):
        start = VALID.index(old, start + 1)
    return VALID[:start] + new + VALID[start + len(old) :]


def _line_of(text: str, needle: str, *, nth: int = 1) -> int:
    """1-based line of the `nth` line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def _messages(path: Path) -> list[str]:
    return [str(p) for p in check_catalog_file(path)]


def test_the_template_is_valid(write: Write) -> None:
    catalog = load_catalog(write(VALID))
    assert [s.id for s in catalog.steps] == ["watch", "lunch"]
    assert catalog.steps[1].reasons == ("co-creation", "wider-view")
    assert catalog.steps[1].community is None
    assert catalog.steps[0].title == Text(ja="見る", en="Watch")


def test_unknown_rung(write: Write) -> None:
    text = _edit("rung: 2", "rung: 7")
    line = _line_of(text, "rung: 7")
    assert _messages(write(text)) == [
        f"catalog.yaml:{line}: step 'lunch': unknown rung 7 (rungs are 1-4)"
    ]


def test_missing_translation(write: Write) -> None:
    text = _edit("      en: Watch\n", "")
    line = _line_of(text, "      ja: 見る")
    assert _messages(write(text)) == [
        f"catalog.yaml:{line}: step 'watch': title: missing 'en' translation"
    ]


def test_empty_translation(write: Write) -> None:
    text = _edit("en: Wider view", "en: ''")
    line = _line_of(text, "label: {ja: 視野")
    assert _messages(write(text)) == [
        f"catalog.yaml:{line}: reason 'wider-view': label.en is empty"
    ]


def test_duplicate_step_id_points_at_the_second(write: Write) -> None:
    text = _edit("- id: lunch", "- id: watch")
    first, second = _line_of(text, "- id: watch"), _line_of(text, "- id: watch", nth=2)
    assert _messages(write(text)) == [
        f"catalog.yaml:{second}: duplicate step id 'watch' (first defined on line {first})"
    ]


def test_duplicate_reason_id(write: Write) -> None:
    text = _edit("- id: co-creation", "- id: wider-view")
    first, second = _line_of(text, "- id: wider-view"), _line_of(text, "- id: wider-view", nth=2)
    problems = check_catalog_file(write(text))
    assert problems == [
        CatalogProblem(second, f"duplicate reason id 'wider-view' (first defined on line {first})"),
        CatalogProblem(
            _line_of(text, "reasons: [co-creation"), "step 'lunch': unknown reason 'co-creation'"
        ),
    ]


def test_unknown_reason(write: Write) -> None:
    text = _edit("reasons: [wider-view]", "reasons: [wider-veiw]")
    line = _line_of(text, "wider-veiw")
    assert _messages(write(text)) == [
        f"catalog.yaml:{line}: step 'watch': unknown reason 'wider-veiw'"
    ]


def test_unknown_trait_and_community(write: Write) -> None:
    text = _edit("traits: [citizen-view]", "traits: [expertise]")
    text = text.replace("community: hall", "community: salon")
    assert _messages(write(text)) == [
        f"catalog.yaml:{_line_of(text, 'traits: [expertise]')}: "
        "step 'watch': unknown trait 'expertise'",
        f"catalog.yaml:{_line_of(text, 'community: salon')}: "
        "step 'watch': unknown community 'salon'",
    ]


def test_yaml_syntax_error_has_a_line(write: Write) -> None:
    text = _edit("    cost: free\n    mode: online", "    cost: [free\n    mode: online")
    problems = check_catalog_file(write(text))
    assert len(problems) == 1
    assert problems[0].message.startswith("YAML syntax error: ")
    assert problems[0].line is not None
    assert _line_of(text, "cost: [free") <= problems[0].line <= _line_of(text, "- id: lunch")


def test_yaml_syntax_error_in_a_mapping(write: Write) -> None:
    text = _edit("    cost: free\nsteps:", "    cost: free\n  oops\nsteps:")
    problems = check_catalog_file(write(text))
    assert len(problems) == 1
    assert problems[0].line == _line_of(text, "oops") + 1  # where the parser notices
    assert "YAML syntax error" in str(problems[0])


def test_missing_key_unknown_key_and_bad_values(write: Write) -> None:
    text = _edit("    mode: in_person\n", "    mood: in_person\n")
    text = text.replace("cost: free\n    mode: online", "cost: cheap\n    mode: online")
    text = text.replace("group: organisation", "group: team")
    text = text.replace("    mode: online", "    mode: somewhere")
    messages = _messages(write(text))
    assert messages == [
        f"catalog.yaml:{_line_of(text, 'group: team')}: "
        "reason 'co-creation': group must be one of self, organisation (got 'team')",
        f"catalog.yaml:{_line_of(text, 'cost: cheap')}: "
        "step 'watch': cost must be one of free, paid (got 'cheap')",
        f"catalog.yaml:{_line_of(text, 'mode: somewhere')}: "
        "step 'watch': mode must be one of online, in_person, either (got 'somewhere')",
        f"catalog.yaml:{_line_of(text, '- id: lunch')}: step 'lunch': missing required key 'mode'",
        f"catalog.yaml:{_line_of(text, 'mood: in_person')}: "
        "step 'lunch': unknown key 'mood' (did you mean 'mode'?); allowed: id, rung, title, "
        "action, detail, cost, mode, reasons, traits, community, url",
    ]


def test_bad_cost(write: Write) -> None:
    text = _edit("    cost: free\nsteps:", "    cost: gratis\nsteps:")
    assert _messages(write(text)) == [
        f"catalog.yaml:{_line_of(text, 'cost: gratis')}: "
        "community 'hall': cost must be one of free, paid (got 'gratis')"
    ]


def test_step_without_reasons(write: Write) -> None:
    text = _edit("reasons: [co-creation, wider-view]", "reasons: []")
    assert _messages(write(text)) == [
        f"catalog.yaml:{_line_of(text, 'reasons: []')}: step 'lunch': needs at least one reason"
    ]


def test_rungs_must_be_consecutive_from_one(write: Write) -> None:
    text = _edit("level: 3", "level: 5")
    line = _line_of(text, "level: 5")
    assert _messages(write(text)) == [
        f"catalog.yaml:{line}: rungs must be numbered consecutively from 1 (found 1, 2, 4, 5)"
    ]


def test_multiple_problems_are_all_reported_in_line_order(write: Write) -> None:
    text = _edit("rung: 2", "rung: 9")
    text = text.replace("en: Wider view", "en: ''")
    text = text.replace("reasons: [wider-view]", "reasons: [nope]")
    text = text.replace("- id: lunch", "- id: watch")
    text = text.replace("version: 1\n", "version: 1\nextra: true\n")
    problems = check_catalog_file(write(text))
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    assert [p.message for p in problems] == [
        "the catalog: unknown key 'extra'; allowed: version, rungs, reasons, steps, "
        "traits, communities, departments",
        "reason 'wider-view': label.en is empty",
        "step 'watch': unknown reason 'nope'",
        f"duplicate step id 'watch' (first defined on line {_line_of(text, '- id: watch')})",
        "step 'watch': unknown rung 9 (rungs are 1-4)",
    ]
    with pytest.raises(CatalogError) as raised:
        load_catalog(write(text))
    assert raised.value.problems == problems
    assert "invalid catalog (5 problems)" in str(raised.value)
    assert f"catalog.yaml:{_line_of(text, 'rung: 9')}: step 'watch': unknown rung 9" in str(
        raised.value
    )


def test_empty_and_unreadable_files(write: Write, tmp_path: Path) -> None:
    assert _messages(write("")) == ["catalog.yaml: the file is empty"]
    missing = check_catalog_file(tmp_path / "nowhere.yaml")
    assert len(missing) == 1 and missing[0].line is None
    assert str(missing[0]).startswith("nowhere.yaml: cannot read file")


def test_text_must_be_a_mapping(write: Write) -> None:
    text = _edit("title: {ja: 昼食, en: Lunch}", "title: Lunch")
    assert _messages(write(text)) == [
        f"catalog.yaml:{_line_of(text, 'title: Lunch')}: "
        "step 'lunch': title: expected a mapping with 'ja' and 'en', got 'Lunch'"
    ]


def test_problem_without_line_formats_without_colon_number() -> None:
    assert str(CatalogProblem(None, "boom")) == "catalog.yaml: boom"
    assert str(CatalogProblem(3, "boom")) == "catalog.yaml:3: boom"
