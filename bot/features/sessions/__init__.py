"""Sessions: study groups and meetups that ippo announces, takes RSVPs for,
reminds people of and exports to calendars — one feature package.

Pure modules (no store, no platform, no clock of their own): the records
(`model`), what the store offers (`ports`), typed dates (`dates`), repeats
(`recurrence`), what is due when (`planning`), iCalendar (`ics`,
`ics_zones`), routes (`routes`) and delivery keys (`keys`). The feature:
`cards` (messages), `access` (who may, and the records acted on),
`commands`, `listing`, `forms` and `checks` (the session form), `changes`
(cancel, move), `rsvp` (answers), `edit` (the one way a session changes),
`posts` (redrawing channel posts) and `work` (planner and composers).
Recurrence expansion runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

from bot.feature import Arg, Command, Feature
from bot.features.sessions.changes import cancel_all, cancel_one, keep
from bot.features.sessions.commands import SESSION_VERBS, session_command, sessions_command
from bot.features.sessions.forms import (
    change_form,
    discard,
    redo_form,
    reopen_part,
    save_draft,
    submit_new,
)
from bot.features.sessions.listing import page, view
from bot.features.sessions.routes import (
    ANSWERS,
    CHANGE_FORM,
    DISCARD,
    DROP,
    DROP_ONE,
    KEEP,
    MADE,
    MISSED,
    NEW_FORM,
    PAGE,
    REDO,
    REDO_FORM,
    RSVP,
    SAVE,
    VIEW,
)
from bot.features.sessions.rsvp import answer_with, made, missed
from bot.features.sessions.work import scheduled_work

__all__ = ["FEATURE"]

FEATURE = Feature(
    "sessions",
    commands=(
        Command(
            "sessions",
            sessions_command,
            ("events",),
            (Arg("args"),),
            help=("sessions.help.sessions",),
        ),
        Command(
            "session",
            session_command,
            ("event",),
            (
                Arg(
                    "action",
                    "choice",
                    required=True,
                    choices=SESSION_VERBS,
                    describe="discord.opt.session_action",
                ),
                Arg("args", describe="discord.opt.session_args"),
            ),
            help=("sessions.help.session",),
        ),
    ),
    help_section="sessions.help.section",
    presses=(
        *(RSVP[status.value].on(answer_with(status)) for status in ANSWERS),
        SAVE.on(save_draft),
        REDO.on(reopen_part),
        DISCARD.on(discard),
        DROP.on(cancel_all),
        DROP_ONE.on(cancel_one),
        KEEP.on(keep),
        VIEW.on(view),
        PAGE.on(page),
        MADE.on(made),
        MISSED.on(missed),
    ),
    forms=(
        NEW_FORM.on_submit(submit_new),
        CHANGE_FORM.on_submit(change_form),
        REDO_FORM.on_submit(redo_form),
    ),
    work=scheduled_work,
)
