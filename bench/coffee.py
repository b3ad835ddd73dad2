"""Benchmark: match 10,000 opted-in members in 20 departments for 12 rounds.

    python -m bench.coffee --members 10000 --departments 20 --rounds 12

The pure matching (`bot.features.coffee.matching.match`) runs round after
round with the pairs of the earlier rounds as its history (the no-repeat
window is IPPO_COFFEE_NO_REPEAT_ROUNDS' default, 12), for members spread over
five timezones, two languages and a few quiet seats, with some avoid lists.
Prints one JSON line: members, rounds, seconds (all rounds) and per round,
peak memory (the process's peak RSS, MB), same-department pairs and repeats within the
window over all rounds, trios and members left out. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time

from bot.features.coffee.matching import Rules, Seat, match, pair

OFFSETS = (9.0, 9.0, 0.0, 1.0, -5.0)  # Tokyo-heavy, London, Paris, New York


def seats(members: int, departments: int, rng: random.Random) -> list[Seat]:
    return [
        Seat(
            member_id=i + 1,
            dept=f"dept-{i % departments}",
            lang="ja" if rng.random() < 0.7 else "en",
            utc_offset=rng.choice(OFFSETS),
            quiet=rng.random() < 0.05,
        )
        for i in range(members)
    ]


def run(members: int, departments: int, rounds: int, window: int) -> dict[str, float]:
    rng = random.Random(15)
    pool = seats(members, departments, rng)
    avoid = frozenset(
        pair(rng.randrange(1, members + 1), rng.randrange(1, members + 1))
        for _ in range(members // 50)
    )
    last_met: dict[tuple[int, int], int] = {}  # pair -> the round it met in
    totals = {"same_dept": 0, "repeats": 0, "trios": 0, "left_out": 0}
    started = time.perf_counter()
    for number in range(rounds):
        ago = {p: number - r for p, r in last_met.items() if number - r <= window}
        outcome = match(pool, Rules(window, ago, avoid), seed=f"bench:{number}")
        for name in totals:
            totals[name] += getattr(outcome.report, name)
        for group in outcome.groups:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    last_met[pair(a, b)] = number
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    return {
        "members": members,
        "departments": departments,
        "rounds": rounds,
        "seconds": round(seconds, 2),
        "seconds_per_round": round(seconds / rounds, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        **totals,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--window", type=int, default=12)
    args = parser.parse_args()
    print(json.dumps(run(args.members, args.departments, args.rounds, args.window)))


if __name__ == "__main__":
    main()
