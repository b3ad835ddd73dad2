"""The sessions feature's one declaration (`FEATURE`), handed out by the
package's `__init__` on first use."""

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
