"""`/ippo step`: one to three suggestions, each with I'll try this / Another one /
Too much — an easier one / Done it.

"Another one" shows the next step of the same round (the steps of that level
for the member's reasons, or for other reasons) and comes round again: it
records nothing against the step. When a round has been seen, or nothing else
fits, the answer says so and offers somewhere to go: other reasons, another
level, a step done before — always as buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.actions import ID, TEXT, Pair, Route, Tap
from bot.catalog import Step
from bot.feature import Arg, Command, Feature
from bot.features.common import private, step_fields, step_text
from bot.features.journey import done_form
from bot.features.links import JOURNEY_RUNG, JOURNEY_SHOW, STEP_MORE
from bot.model import Button, CommandInvoked, EntryKind, JourneyEntry, Reply
from bot.parse import number
from bot.router import Ctx, UserError
from bot.suggest import Pool, after, done_before, pool_of, rotation, suggest

MAX_SUGGESTIONS = 3
ROUND_MAX = 999  # "seen" in an "another" route never grows past this


class AnotherArg:
    """The argument of "Another one": how many steps of this round the member
    has seen, and the step on the card ("3.browse-sub-groups"). A bare step
    id (a button from before rounds were counted) starts a round."""

    def encode(self, value: tuple[int, str]) -> str:
        return f"{min(value[0], ROUND_MAX)}.{value[1]}"

    def decode(self, raw: str) -> tuple[int, str]:
        head, sep, tail = raw.partition(".")
        seen = number(head, low=1, high=ROUND_MAX) if sep else None
        return (seen, tail) if seen is not None else (1, raw)


ANOTHER_ARG = AnotherArg()
TRY = Route("step", "try", TEXT)
ANOTHER = Route("step", "another", ANOTHER_ARG)
EASIER = Route("step", "easier", TEXT)
DONE = Route("step", "done", TEXT)
FROM = Route("step", "from", Pair(TEXT, ID))
"""Offer from a pool ("fit" or "other") of a level: "fit.2"."""
REVISIT = Tap("step", "revisit")


def step_buttons(
    ctx: Ctx, step: Step, *, seen: int = 1, extras: Sequence[Button] = ()
) -> tuple[Button, ...]:
    t = ctx.t
    return (
        Button(t("step.btn.try"), TRY.id(step.id), style="primary"),
        Button(t("step.btn.another"), ANOTHER.id((seen, step.id))),
        Button(t("step.btn.easier"), EASIER.id(step.id)),
        Button(t("step.btn.done"), DONE.id(step.id)),
        *extras,
    )


def step_reply(
    ctx: Ctx,
    step: Step,
    *,
    intro: str = "",
    replace: bool = False,
    seen: int = 1,
    extras: Sequence[Button] = (),
) -> Reply:
    text = (intro + "\n\n" if intro else "") + step_text(ctx.t, ctx.catalog, step)
    return private(
        text,
        title=ctx.t("step.title"),
        fields=step_fields(ctx.t, ctx.catalog, step),
        buttons=step_buttons(ctx, step, seen=seen, extras=extras),
        replace=replace,
    )


def wider(ctx: Ctx, entries: Sequence[JourneyEntry], rung: int, pool: Pool) -> list[Button]:
    """Where to look when a round is over or empty: the other pool of this
    level, the levels either side, a step done before. Never empty: the
    journey is always there."""
    t, catalog, member = ctx.t, ctx.catalog, ctx.member

    def has(p: Pool, level: int) -> bool:
        return bool(rotation(catalog, member, entries, ctx.now, rung=level, pool=p))

    out: list[Button] = []
    if member.reasons:
        other: Pool = "other" if pool == "fit" else "fit"
        if has(other, rung):
            label = t("step.btn.other_reasons") if other == "other" else t("step.btn.my_reasons")
            out.append(Button(label, FROM.id((other, rung))))
    for level in (rung + 1, rung - 1):
        if 1 <= level <= catalog.top_rung and has("fit", level):
            label = t("step.btn.from_rung", rung=catalog.rung(level).name(ctx.lang))
            out.append(Button(label, FROM.id(("fit", level))))
    if done_before(catalog, entries):
        out.append(Button(t("step.btn.revisit"), REVISIT.id()))
    if not out:
        out.append(Button(t("journey.btn.show"), JOURNEY_SHOW.id()))
    return out


def nothing_new(
    ctx: Ctx, entries: Sequence[JourneyEntry], rung: int, pool: Pool, *, replace: bool
) -> Reply:
    name = ctx.catalog.rung(rung).name(ctx.lang)
    return private(
        ctx.t("step.round.none", rung=name),
        buttons=wider(ctx, entries, rung, pool),
        replace=replace,
    )


@dataclass(frozen=True, slots=True)
class Turn:
    """What "Another one" shows: the next step (None when nothing else fits),
    how many of the round have been seen with it, and, at the end of a round
    or when nothing else fits, a notice and buttons that look wider."""

    step: Step | None
    seen: int = 1
    notice: str = ""
    extras: tuple[Button, ...] = ()


async def turn_after(ctx: Ctx, current: Step, seen: int) -> Turn:
    """The step after `current` in its round (shared by `/ippo step` and the
    weekly nudge), recorded as suggested so the next suggestion varies."""
    entries = await ctx.uow.journey.list(ctx.member.id)
    pool = pool_of(ctx.member, current)
    steps = rotation(ctx.catalog, ctx.member, entries, ctx.now, rung=current.rung, pool=pool)
    name = ctx.catalog.rung(current.rung).name(ctx.lang)
    nxt = after(steps, current.id)
    if nxt is None or nxt.id == current.id:
        earlier = done_before(ctx.catalog, entries)
        if len(earlier) > 1 and current in earlier:  # walking steps done before
            again = after(earlier, current.id)
            if again is not None:
                await ctx.uow.journey.add(
                    ctx.member.id, EntryKind.SUGGESTED, ctx.now, step_id=again.id
                )
                return Turn(again, seen=seen + 1)
        extras = tuple(wider(ctx, entries, current.rung, pool))
        return Turn(None, notice=ctx.t("step.round.none", rung=name), extras=extras)
    await ctx.uow.journey.add(ctx.member.id, EntryKind.SUGGESTED, ctx.now, step_id=nxt.id)
    if seen < len(steps):
        return Turn(nxt, seen=seen + 1)
    which = "others" if pool == "other" else "fit" if ctx.member.reasons else "all"
    notice = ctx.t(f"step.round.{which}", count=len(steps), rung=name)
    return Turn(nxt, seen=1, notice=notice, extras=tuple(wider(ctx, entries, current.rung, pool)))


async def offer(
    ctx: Ctx,
    *,
    count: int = 1,
    rung: int | None = None,
    exclude: tuple[str, ...] = (),
    intro: str = "",
    replace: bool = False,
) -> list[Reply]:
    entries = await ctx.uow.journey.list(ctx.member.id)
    steps = suggest(
        ctx.catalog, ctx.member, entries, ctx.now, count=count, rung=rung, exclude=exclude
    )
    if not steps:
        return [nothing_new(ctx, entries, rung or ctx.member.rung, "fit", replace=replace)]
    for step in steps:
        await ctx.uow.journey.add(ctx.member.id, EntryKind.SUGGESTED, ctx.now, step_id=step.id)
    return [
        step_reply(ctx, s, intro=intro if i == 0 else "", replace=replace and i == 0)
        for i, s in enumerate(steps)
    ]


async def offer_from(ctx: Ctx, arg: tuple[str, int]) -> list[Reply]:
    """A step from another pool or level ("other.1", "fit.2"), first in its
    round among those not shown lately."""
    head, level = arg
    if head not in ("fit", "other") or not 1 <= level <= ctx.catalog.top_rung:
        raise UserError("errors.stale_button")
    pool: Pool = "fit" if head == "fit" else "other"
    entries = await ctx.uow.journey.list(ctx.member.id)
    steps = rotation(ctx.catalog, ctx.member, entries, ctx.now, rung=level, pool=pool)
    if not steps:
        return [nothing_new(ctx, entries, level, pool, replace=True)]
    shown = {e.step_id for e in entries[-len(steps) :] if e.kind == EntryKind.SUGGESTED}
    step = next((s for s in steps if s.id not in shown), steps[0])
    await ctx.uow.journey.add(ctx.member.id, EntryKind.SUGGESTED, ctx.now, step_id=step.id)
    return [step_reply(ctx, step, replace=True)]


async def revisit(ctx: Ctx) -> list[Reply]:
    entries = await ctx.uow.journey.list(ctx.member.id)
    earlier = done_before(ctx.catalog, entries)
    if not earlier:
        return [nothing_new(ctx, entries, ctx.member.rung, "fit", replace=True)]
    step = earlier[0]
    await ctx.uow.journey.add(ctx.member.id, EntryKind.SUGGESTED, ctx.now, step_id=step.id)
    return [step_reply(ctx, step, intro=ctx.t("step.revisit_intro"), replace=True)]


async def step_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    count = 1
    if cmd.args:
        arg = " ".join(cmd.args)
        wanted = number(arg, low=1, high=MAX_SUGGESTIONS)
        if wanted is None:
            raise UserError("step.bad_count", value=arg, most=MAX_SUGGESTIONS)
        count = wanted
    intro = "" if ctx.member.reasons else ctx.t("step.no_reasons_hint")
    return await offer(ctx, count=count, intro=intro)


async def next_turn(ctx: Ctx, seen: int, step_id: str) -> Turn:
    """ "Another one" pressed on `step_id` with `seen` steps of the round shown
    (`/ippo step`'s card and the weekly nudge alike)."""
    step = ctx.catalog.step(step_id)
    if step is None:
        raise UserError("errors.stale_button")
    return await turn_after(ctx, step, seen)


async def another(ctx: Ctx, seen: int, step_id: str) -> list[Reply]:
    turn = await next_turn(ctx, seen, step_id)
    if turn.step is None:
        return [private(turn.notice, buttons=turn.extras, replace=True)]
    return [
        step_reply(
            ctx, turn.step, intro=turn.notice, seen=turn.seen, extras=turn.extras, replace=True
        )
    ]


async def known_step(ctx: Ctx, step_id: str) -> Step:
    step = ctx.catalog.step(step_id)
    if step is None:
        raise UserError("errors.stale_button")
    return step


async def trying(ctx: Ctx, step_id: str) -> list[Reply]:
    step, t = await known_step(ctx, step_id), ctx.t
    await ctx.uow.journey.add(ctx.member.id, EntryKind.TRYING, ctx.now, step_id=step.id)
    return [
        private(
            t("step.trying", title=step.title(ctx.lang)),
            buttons=(Button(t("step.btn.done"), DONE.id(step.id)),),
            tone="success",
            replace=True,
        )
    ]


async def easier(ctx: Ctx, step_id: str) -> list[Reply]:
    step, t = await known_step(ctx, step_id), ctx.t
    await ctx.uow.journey.add(ctx.member.id, EntryKind.TOO_MUCH, ctx.now, step_id=step.id)
    level = max(1, min(step.rung, ctx.member.rung) - 1)
    replies = await offer(
        ctx, rung=level, exclude=(step.id,), intro=t("step.easier_intro"), replace=True
    )
    if ctx.member.rung > 1:
        down = ctx.catalog.rung(ctx.member.rung - 1).name(ctx.lang)
        replies.append(
            private(
                t("journey.down_offer", rung=down),
                buttons=(Button(t("journey.btn.down"), JOURNEY_RUNG.id(ctx.member.rung - 1)),),
            )
        )
    return replies


async def done(ctx: Ctx, step_id: str) -> list[Reply]:
    return [done_form(ctx, await known_step(ctx, step_id))]


async def more(ctx: Ctx, _: None) -> list[Reply]:
    return await offer(ctx)


async def on_another(ctx: Ctx, arg: tuple[int, str]) -> list[Reply]:
    return await another(ctx, *arg)


async def on_revisit(ctx: Ctx, _: None) -> list[Reply]:
    return await revisit(ctx)


FEATURE = Feature(
    "steps",
    commands=(
        Command(
            "step",
            step_command,
            ("steps", "suggest"),
            (Arg("count", "int", low=1, high=MAX_SUGGESTIONS),),
            help=("help.line.step",),
        ),
    ),
    help_section="help.section.steps",
    presses=(
        STEP_MORE.on(more),
        ANOTHER.on(on_another),
        FROM.on(offer_from),
        REVISIT.on(on_revisit),
        TRY.on(trying),
        EASIER.on(easier),
        DONE.on(done),
    ),
)
