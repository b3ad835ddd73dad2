"""The session form, its preview and Save.

A submitted form becomes a draft row at once (even with mistakes, so Edit can
reopen it filled in); the preview shows exactly what will be saved — the start
as read, the next occurrences of a repeat — with Save / Edit / Cancel buttons
whose routes name the draft. Nothing is held in memory between the steps.

The form comes in parts of at most `FORM_INPUTS_MAX` inputs (a Discord modal
holds five): "basics" opens first and is enough to save; the preview offers
the other parts ("repeat and channel", "seats and cost"), each a small form
whose answers are merged into the same draft.

A repeat that would start more than once a day is refused outright (a
`UserError`, nothing written): expanding it is what could stall the bot.
Everything that expands a rule runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from datetime import timedelta

from bot.features.channel_access import access_hint, channel_label
from bot.features.common import private
from bot.features.sessions.access import (
    own_draft,
    require_organizer,
    target_of,
    workspace_session,
)
from bot.features.sessions.cards import fmt_when, rung_label
from bot.features.sessions.changes import NOTIFY_DAYS
from bot.features.sessions.checks import START_KEY, Checked, check, values_of
from bot.features.sessions.edit import SessionEdit, edit_session
from bot.features.sessions.model import Draft, Session
from bot.features.sessions.posts import channel_lang
from bot.features.sessions.recurrence import first_starts, occurrences_between, too_often
from bot.features.sessions.routes import DISCARD, FIRST_PART, NEW_FORM, PARTS, REDO, SAVE
from bot.features.sessions.rsvp import fill_seats
from bot.model import FORM_INPUTS_MAX, Button, ChannelRef, Field, Form, FormInput, Message, Reply
from bot.router import Ctx, UserError

PREVIEW_OCCURRENCES = 3
_MULTILINE = frozenset({"description"})
_REQUIRED = frozenset({"title", "start", "duration"})


def session_form(
    ctx: Ctx, form_id: str, values: Mapping[str, str], part: str = FIRST_PART
) -> Reply:
    """One part of the session form, filled in with `values`."""
    t = ctx.t
    levels = t("sessions.form.sep").join(
        t("sessions.form.level", level=r.level, name=r.name(t.lang)) for r in ctx.catalog.rungs
    )
    inputs = tuple(
        FormInput(
            key,
            t(f"sessions.form.{key}"),
            kind="multiline" if key in _MULTILINE else "text",
            required=key in _REQUIRED,
            initial=values.get(key, ""),
            hint=t(f"sessions.form.{key}_hint", levels=levels)
            if key == "rung"
            else t(f"sessions.form.{key}_hint"),
        )
        for key in PARTS[part]
    )
    assert len(inputs) <= FORM_INPUTS_MAX
    title = t("sessions.form.heading") if part == FIRST_PART else t(f"sessions.part.{part}")
    form = Form(form_id, title, t("sessions.form.submit"), inputs)
    return Reply(Message(t("sessions.form.fallback"), form=form, ephemeral=True))


def defaults(ctx: Ctx) -> dict[str, str]:
    """What a new session starts from: 90 minutes, the organizer's timezone,
    announced where the form was opened."""
    where = ctx.event.where
    return {"duration": "90", "tz": ctx.member.tz, "channel": where.id if where else ""}


def new_form(ctx: Ctx) -> Reply:
    return session_form(ctx, NEW_FORM.id(), defaults(ctx))


async def submit(
    ctx: Ctx,
    values: Mapping[str, str],
    *,
    target: Session | None,
    draft: Draft | None,
    part: str = FIRST_PART,
) -> list[Reply]:
    """Merge one part's values into the draft (new or updated) and show the
    preview. A new draft starts from the session being edited, or from the
    defaults; only the part's own inputs are taken from `values`."""
    if draft is not None:
        base: Mapping[str, str] = draft.values
    else:
        base = values_of(target) if target is not None else defaults(ctx)
    kept = {k: v for k, v in base.items() if not k.startswith("_")}
    kept |= {k: v for k, v in values.items() if k in PARTS[part]}
    if "repeat" in PARTS[part] and too_often(kept.get("repeat", "")):
        raise UserError("sessions.bad.too_often", value=kept["repeat"].strip())
    where = ctx.event.where
    user = ctx.event.actor.user
    channel = where or ChannelRef(user.platform, user.workspace, "")
    probe = await check(ctx, kept, target)
    if isinstance(probe, Checked):
        kept[START_KEY] = probe.fields.start.isoformat()
        kept["channel"] = probe.channel.id  # as resolved now (the default is where typed)
    replace_preview = draft is not None  # a later part: its preview takes the old one's place
    if draft is None:
        draft = await ctx.uow.sessions.add_draft(
            author_member_id=ctx.member.id,
            channel=channel,
            target=target.id if target else None,
            values=kept,
            now=ctx.now,
        )
    else:
        await ctx.uow.sessions.update_draft(draft.id, kept)
    return [await preview(ctx, draft.id, probe, replace=replace_preview)]


async def preview(
    ctx: Ctx, draft_id: int, checked: Checked | list[str], *, replace: bool = False
) -> Reply:
    t = ctx.t
    edits = tuple(
        Button(t(f"sessions.btn.edit_{part}"), REDO.id((draft_id, part))) for part in PARTS
    )
    discard = Button(t("sessions.btn.discard"), DISCARD.id(draft_id))
    if isinstance(checked, list):
        text = t("sessions.preview.problems") + "\n" + "\n".join(f"- {p}" for p in checked)
        return private(text, tone="warning", buttons=(*edits, discard), replace=replace)
    f = checked.fields
    starts = await asyncio.to_thread(first_starts, f, PREVIEW_OCCURRENCES)
    dates = t("sessions.form.sep").join(fmt_when(t, start, f.tz) for start in starts)
    dates = t("sessions.and_more", dates=dates)
    fields = [
        Field(
            t("sessions.f.when"), t("sessions.with_tz", when=fmt_when(t, f.start, f.tz), tz=f.tz)
        ),
        Field(t("sessions.f.duration"), t("sessions.minutes", minutes=f.duration_min)),
        Field(t("sessions.f.repeat"), dates if f.rrule else t("sessions.once")),
        Field(t("sessions.f.cost"), f.cost or t("sessions.free")),
        Field(
            t("sessions.f.capacity"),
            t("sessions.seats", count=f.capacity) if f.capacity else t("sessions.no_limit"),
        ),
    ]  # where it is announced: the access hint says
    if f.place:
        fields.insert(3, Field(t("sessions.f.place"), f.place))
    if f.rung is not None:
        fields.append(Field(t("sessions.f.rung"), rung_label(t, ctx.catalog, f.rung)))
    return private(
        t("sessions.preview.body", title=f.title) + "\n" + access_hint(t, checked.channel),
        title=t("sessions.preview.title"),
        fields=fields,
        buttons=(
            Button(t("sessions.btn.save"), SAVE.id(draft_id), style="primary"),
            *edits,
            discard,
        ),
        replace=replace,
    )


async def save(ctx: Ctx, draft: Draft) -> tuple[Session, bool]:
    """Apply the draft: (the session, whether it was an edit)."""
    target = await target_of(ctx, draft)
    checked = await check(ctx, draft.values, target)
    if isinstance(checked, list):
        raise UserError("sessions.draft_invalid")
    repo = ctx.uow.sessions
    await repo.delete_draft(draft.id)
    if target is None:
        session = await repo.create(
            checked.fields,
            uid=f"{uuid.uuid4()}@ippo",
            channel=checked.channel,
            organizer=ctx.event.actor.user,
            lang=await channel_lang(ctx.uow, checked.channel, ctx.config.default_lang),
            now=ctx.now,
        )
        return session, False
    if target.status.value != "active":
        raise UserError("sessions.not_active", id=target.id)
    edit = SessionEdit(checked.fields, channel=checked.channel)
    return await edit_session(ctx.uow, target, edit, now=ctx.now) or target, True


# --------------------------------------------------------------------------- buttons and forms


async def save_draft(ctx: Ctx, draft_id: int) -> list[Reply]:
    require_organizer(ctx)
    session, edited = await save(ctx, await own_draft(ctx, draft_id))
    key = "sessions.updated" if edited else "sessions.saved"
    where = channel_label(session.channel)
    text = ctx.t(key, id=session.id, title=session.title, channel=where)
    replies = [private(text, tone="success", replace=True)]
    if edited:  # more seats may have been added: the waitlist moves up
        changes = await ctx.uow.sessions.changes(session.id)
        horizon = ctx.now + timedelta(days=NOTIFY_DAYS)
        soon = await asyncio.to_thread(occurrences_between, session, changes, ctx.now, horizon)
        for occ in soon:
            replies += await fill_seats(ctx, session, occ)
    return replies


async def reopen_part(ctx: Ctx, draft_part: tuple[int, str]) -> list[Reply]:
    require_organizer(ctx)
    draft = await own_draft(ctx, draft_part[0])
    return [session_form(ctx, REDO.id((draft.id, draft_part[1])), draft.values, draft_part[1])]


async def discard(ctx: Ctx, draft_id: int) -> list[Reply]:
    draft = await own_draft(ctx, draft_id)
    await ctx.uow.sessions.delete_draft(draft.id)
    return [private(ctx.t("sessions.discarded"), replace=True)]


async def submit_new(ctx: Ctx, _: None, values: Mapping[str, str]) -> list[Reply]:
    require_organizer(ctx)
    return await submit(ctx, values, target=None, draft=None)


async def change_form(ctx: Ctx, session_id: int, values: Mapping[str, str]) -> list[Reply]:
    require_organizer(ctx)
    session = await workspace_session(ctx, session_id)
    return await submit(ctx, values, target=session, draft=None)


async def redo_form(
    ctx: Ctx, draft_part: tuple[int, str], values: Mapping[str, str]
) -> list[Reply]:
    require_organizer(ctx)
    draft = await own_draft(ctx, draft_part[0])
    target = await target_of(ctx, draft)
    return await submit(ctx, values, target=target, draft=draft, part=draft_part[1])
