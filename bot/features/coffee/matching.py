"""Who meets whom in a coffee round: pure, deterministic for a seed.

The rules, strongest first:
- only the members handed in (opted in, not paused, skipped, stopped or
  unreachable: the planner decides that) and never a pair either side of
  which `avoid`s the other;
- a quiet seat (someone who may only listen) is never paired alone with
  another quiet seat: quiet members sit with a speaker, or as the third of
  a pair;
- everyone is placed: an odd count makes one trio, never someone left out;
- no pair within the same department when another is possible;
- no pair repeated within the no-repeat window, and when a repeat is
  unavoidable the pair that met longest ago first (a repeat is preferred to
  a same-department pair);
- prefer members whose working hours overlap and who share a language.

The rules become edge weights of a sparse candidate graph (every other member
for small rounds, a seeded sample for large ones) and networkx's
maximum-weight matching (Edmonds' blossom algorithm, with maximum
cardinality) picks the pairs. Large rounds are matched in seeded blocks of
`BLOCK` members so the work grows linearly; members left over (an odd count,
an avoid list that rules out everyone near) join a pair as its third, where
the pairs they add break the fewest rules (`third_fit`), leftovers and pairs
matched together.
`Outcome.report` counts what could not be honoured, with no names.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

BLOCK = 100  # members matched together at most (even): the blossom algorithm is cubic
SAMPLE = 12  # candidate partners per member in a block larger than DENSE
DENSE = 60  # up to this many members, every pair is a candidate
BASE = 100_000
SAME_DEPT = 60_000  # what a same-department pair costs: more than any repeat
REPEAT = 45_000  # what a repeat costs at most (the most recent); older costs less
OVERLAP_HOURS = 2  # working hours overlapping at least this long count as overlapping
HOUR_WEIGHT = 300  # per hour of overlap, up to a working day
SHARED_LANG = 2_000
WORK_START, WORK_END = 9, 18  # local working hours, for overlap
THIRD_CANDIDATES = 12  # pairs considered for each leftover
TIER = 10**6  # more than two pairs' affinity: the rules of a trio rank strictly


@dataclass(frozen=True, slots=True)
class Seat:
    """One member as matching sees them."""

    member_id: int
    dept: str = ""  # normalised; "" when not given (never counts as the same)
    lang: str = "ja"
    utc_offset: float = 0.0  # hours, at the round's time
    quiet: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """What a round could not honour, as counts (logged; never names)."""

    members: int = 0
    groups: int = 0
    trios: int = 0
    same_dept: int = 0
    repeats: int = 0
    no_overlap: int = 0
    no_shared_lang: int = 0
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    groups: tuple[tuple[int, ...], ...]
    left_out: tuple[int, ...]
    report: Report


@dataclass(frozen=True, slots=True)
class Rules:
    """What matching knows besides the seats.

    `last_met[(a, b)]` (a < b) is how many rounds ago the pair last met (1 =
    the previous round); pairs older than `window` are not listed or ignored.
    `avoid` holds (a, b) pairs (a < b) either of whom asked not to meet."""

    window: int = 12
    last_met: Mapping[tuple[int, int], int] = field(default_factory=dict)
    avoid: frozenset[tuple[int, int]] = frozenset()


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def overlap_hours(a: Seat, b: Seat) -> float:
    """Hours both are at work on the same day, each 09:00-18:00 local."""
    shift = b.utc_offset - a.utc_offset  # b's working day, seen on a's clock
    start = max(WORK_START, WORK_START - shift)
    end = min(WORK_END, WORK_END - shift)
    return max(0.0, end - start)


def shares_hours(seats: Sequence[Seat]) -> bool:
    return all(
        overlap_hours(a, b) >= OVERLAP_HOURS for i, a in enumerate(seats) for b in seats[i + 1 :]
    )


def shares_lang(seats: Sequence[Seat]) -> bool:
    return len({s.lang for s in seats}) == 1


def weight(a: Seat, b: Seat, rules: Rules) -> int | None:
    """The edge weight of a candidate pair; None when they may not meet as a
    pair (either avoids the other, or both are quiet)."""
    if (a.quiet and b.quiet) or pair(a.member_id, b.member_id) in rules.avoid:
        return None
    return affinity(a, b, rules)


def affinity(a: Seat, b: Seat, rules: Rules) -> int:
    """How well two members fit: the rules as one number, larger is better."""
    w = BASE
    if a.dept and a.dept == b.dept:
        w -= SAME_DEPT
    ago = rules.last_met.get(pair(a.member_id, b.member_id))
    if ago is not None and ago <= rules.window:
        # The most recent repeat costs REPEAT; the oldest within the window a
        # third of it, so repeats come longest-ago first; a same-department
        # pair costs more than any repeat; working hours and language are
        # preferences only, worth less than either.
        w -= REPEAT - (REPEAT * 2 // 3) * (ago - 1) // max(1, rules.window)
    w += int(min(overlap_hours(a, b), WORK_END - WORK_START) * HOUR_WEIGHT)
    if a.lang == b.lang:
        w += SHARED_LANG
    return w


def match(seats: Sequence[Seat], rules: Rules, *, seed: int | str) -> Outcome:
    """Groups of two (and trios for who is left over) for one round."""
    rng = random.Random(str(seed))
    order = sorted(seats, key=lambda s: s.member_id)
    rng.shuffle(order)
    groups: list[list[Seat]] = []
    leftovers: list[Seat] = []
    for start in range(0, len(order), BLOCK):
        block = order[start : start + BLOCK]
        paired, rest = _match_block(block, rules, rng)
        groups.extend(paired)
        leftovers.extend(rest)
    left_out = place_thirds(groups, leftovers, rules)
    final = tuple(tuple(s.member_id for s in g) for g in groups)
    report = _report(groups, rules, len(seats), left_out)
    return Outcome(final, tuple(s.member_id for s in left_out), report)


def _candidates(block: Sequence[Seat], rng: random.Random) -> Iterable[tuple[int, int]]:
    """Index pairs worth an edge: all of them in a small block, else each
    member's sample of others (seeded)."""
    n = len(block)
    if n <= DENSE:
        for i in range(n):
            for j in range(i + 1, n):
                yield i, j
        return
    seen: set[tuple[int, int]] = set()
    for i in range(n):
        for j in rng.sample(range(n), min(SAMPLE + 1, n)):
            if j != i and (edge := (min(i, j), max(i, j))) not in seen:
                seen.add(edge)
                yield edge


def _match_block(
    block: Sequence[Seat], rules: Rules, rng: random.Random
) -> tuple[list[list[Seat]], list[Seat]]:
    import networkx as nx  # 24 MB and 0.25 s: loaded by the first coffee round, not at start

    graph = nx.Graph()
    graph.add_nodes_from(range(len(block)))
    for i, j in _candidates(block, rng):
        w = weight(block[i], block[j], rules)
        if w is not None:
            # A little seeded jitter breaks ties differently in every round.
            graph.add_edge(i, j, weight=w + rng.randrange(100))
    matched = nx.max_weight_matching(graph, maxcardinality=True)
    pairs = sorted(tuple(sorted(edge)) for edge in matched)
    used = {i for edge in pairs for i in edge}
    groups = [[block[i], block[j]] for i, j in pairs]
    return groups, [s for i, s in enumerate(block) if i not in used]


def recent(a: Seat, b: Seat, rules: Rules) -> bool:
    """The pair met within the no-repeat window."""
    ago = rules.last_met.get(pair(a.member_id, b.member_id))
    return ago is not None and ago <= rules.window


def third_fit(seat: Seat, group: Sequence[Seat], rules: Rules) -> int | None:
    """How well `seat` fits a pair as its third, larger is better; None when
    a rule forbids it (not a pair, an avoid list, a quiet seat beside quiet
    seats only). The rules rank strictly, strongest first: fewer
    same-department pairs added, then fewer repeats within the window, then
    the two new pairs' affinity (which also puts the longest-ago repeat
    first)."""
    if len(group) != 2 or any(pair(seat.member_id, o.member_id) in rules.avoid for o in group):
        return None
    if seat.quiet and all(o.quiet for o in group):
        return None
    same = sum(bool(seat.dept) and seat.dept == o.dept for o in group)
    repeats = sum(recent(seat, o, rules) for o in group)
    score = sum(affinity(seat, o, rules) for o in group)
    return TIER**3 - same * TIER**2 - repeats * TIER + score


def place_thirds(groups: list[list[Seat]], leftovers: Sequence[Seat], rules: Rules) -> list[Seat]:
    """Each leftover joins a pair as its third (a quiet third too: every
    pair has a speaker). Leftovers and pairs are matched together (maximum
    weight, maximum cardinality, over each leftover's `THIRD_CANDIDATES` best
    pairs by `third_fit`), so one leftover never takes the only pair another
    could join without a repeat; someone no pair can take (avoid lists, or
    nobody else at all) is returned."""
    if not leftovers:
        return []
    import networkx as nx  # loaded with the round's matching (`_match_block`)

    graph = nx.Graph()
    for i, seat in enumerate(leftovers):
        fits = [
            (fit, g)
            for g, group in enumerate(groups)
            if (fit := third_fit(seat, group, rules)) is not None
        ]
        for fit, g in sorted(fits, key=lambda x: (-x[0], x[1]))[:THIRD_CANDIDATES]:
            graph.add_edge(("seat", i), ("group", g), weight=fit)
    placed: dict[int, int] = {}
    for a, b in nx.max_weight_matching(graph, maxcardinality=True):
        seat_node, group_node = (a, b) if a[0] == "seat" else (b, a)
        placed[seat_node[1]] = group_node[1]
    for i, g in sorted(placed.items()):
        groups[g].append(leftovers[i])
    out: list[Seat] = []
    for i, seat in enumerate(leftovers):
        if i in placed:
            continue
        # Every pair it could join went to others: the best pair still open.
        fits = [
            (fit, -g)
            for g, group in enumerate(groups)
            if (fit := third_fit(seat, group, rules)) is not None
        ]
        if fits:
            groups[-max(fits)[1]].append(seat)
        else:
            out.append(seat)
    return out


def _report(
    groups: Sequence[Sequence[Seat]], rules: Rules, members: int, left: list[Seat]
) -> Report:
    counts = {"same_dept": 0, "repeats": 0, "no_overlap": 0, "no_shared_lang": 0}
    checks: Mapping[str, Callable[[Seat, Seat], bool]] = {
        "same_dept": lambda a, b: bool(a.dept) and a.dept == b.dept,
        "repeats": lambda a, b: (
            (ago := rules.last_met.get(pair(a.member_id, b.member_id))) is not None
            and ago <= rules.window
        ),
        "no_overlap": lambda a, b: overlap_hours(a, b) < OVERLAP_HOURS,
        "no_shared_lang": lambda a, b: a.lang != b.lang,
    }
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.quiet and b.quiet:
                    continue  # two quiet thirds' seats beside a speaker
                for name, check in checks.items():
                    counts[name] += check(a, b)
    return Report(
        members=members,
        groups=len(groups),
        trios=sum(1 for g in groups if len(g) == 3),
        left_out=len(left),
        **counts,
    )
