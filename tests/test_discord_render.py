"""The Discord renderer: golden payloads for every core message shape in both
languages, and Discord's limits checked on every reply a real conversation
produces and on oversized messages.

Goldens live in tests/golden/discord/; after an intended change, regenerate
them with `IPPO_UPDATE_GOLDEN=1 pytest tests/test_discord_render.py` and
review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.render import (
    BUTTON_LABEL_MAX,
    BUTTONS_PER_ROW,
    CONTENT_MAX,
    EMBED_FIELDS_MAX,
    EMBED_TOTAL_MAX,
    MODAL_INPUTS_MAX,
    ROWS_MAX,
    render,
    render_form,
)
from bot.i18n import Messages
from bot.model import LANGS, Button, Choices, Field, Form, FormInput, Lang, Message, Option, Reply
from bot.testing import Harness
from storage import SqlStore
from tests.corekit import build_core

GOLDEN = Path(__file__).parent / "golden" / "discord"
MESSAGES = Messages.load()


def shapes(lang: Lang) -> dict[str, Message]:
    """One message of every shape the core produces, in real catalog text."""
    t = MESSAGES.for_lang(lang)
    return {
        "text": Message(t("why.none"), ephemeral=True),
        "warning": Message(t("errors.stale_button"), tone="warning", ephemeral=True),
        "card": Message(
            t("privacy.body"),
            title=t("privacy.title"),
            fields=(Field(t("privacy.f.name"), "aki"), Field(t("privacy.f.settings"), "ja")),
            buttons=(Button(t("privacy.btn.forget"), "privacy:forget", style="danger"),),
            ephemeral=True,
        ),
        "buttons": Message(
            t("step.trying", title="X", id="x"),
            tone="success",
            buttons=(
                Button(t("step.btn.try"), "step:try:x", style="primary"),
                Button(t("step.btn.another"), "step:another:x"),
                Button(t("step.btn.easier"), "step:easier:x"),
                Button(t("step.btn.done"), "step:done:x"),
                Button(t("journey.btn.show"), "journey:show"),
                Button(t("journey.btn.step"), "step:more"),
            ),
        ),
        "choices": Message(
            t("why.prompt"),
            choices=Choices(
                t("why.title"), (Option("1", "why:toggle:skills"), Option("2", "why:toggle:career"))
            ),
        ),
        "form_fallback": Message(
            t("done.form.fallback", title=""),
            form=Form(
                "journey:done",
                t("done.form.title"),
                t("done.form.submit"),
                (
                    FormInput("what", t("done.form.what"), hint=t("done.form.what_hint")),
                    FormInput("note", t("done.form.note"), kind="multiline", required=False),
                ),
            ),
            ephemeral=True,
        ),
    }


def check_limits(payload: dict[str, Any]) -> None:
    assert len(payload["content"]) <= CONTENT_MAX
    for embed in payload["embeds"]:
        assert len(embed.get("fields", [])) <= EMBED_FIELDS_MAX
        total = len(embed.get("title", "")) + len(embed.get("description", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        assert total <= EMBED_TOTAL_MAX
        assert len(embed.get("description", "")) <= 4096
    assert len(payload["components"]) <= ROWS_MAX
    seen: set[str] = set()
    for row in payload["components"]:
        assert len(row["components"]) <= BUTTONS_PER_ROW
        for component in row["components"]:
            assert component["custom_id"] not in seen
            assert len(component["custom_id"]) <= 100
            seen.add(component["custom_id"])
            assert len(component.get("label", "")) <= BUTTON_LABEL_MAX
            assert len(component.get("options", [])) <= 25
    assert payload["content"] or payload["embeds"]


def essence(rows: list[dict[str, Any]]) -> list[list[tuple[Any, ...]]]:
    keys = ("type", "custom_id", "label", "style", "placeholder")
    return [
        [
            (
                *(c.get(k) for k in keys),
                [(o["label"], o["value"]) for o in c.get("options", [])],
            )
            for c in row["components"]
        ]
        for row in rows
    ]


def golden(name: str, value: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("IPPO_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden {path.name}; run with IPPO_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("shape", list(shapes("en")))
async def test_golden(shape: str, lang: Lang) -> None:
    message = shapes(lang)[shape]
    out = render(message, MESSAGES.for_lang(lang))
    payload = out.payload()
    check_limits(payload)
    # What is actually sent (the discord.py view) matches the payload.
    view = out.view()
    sent = view.to_components() if view else []
    assert essence(sent) == essence(payload["components"])
    if message.form is not None:
        modal = render_form(message.form)
        payload["modal"] = modal.payload()
        assert modal.modal().to_dict()["custom_id"] == message.form.form_id
    golden(f"{shape}.{lang}", payload)


@pytest.mark.parametrize("lang", LANGS)
async def test_every_reply_of_a_conversation_fits(sqlite_store: SqlStore, lang: Lang) -> None:
    core = build_core(sqlite_store)
    aki = Harness(core, platform="discord", workspace="1").member(
        "aki", locale="en-US" if lang == "en" else "ja"
    )
    replies: list[Reply] = []
    for line in (
        "/ippo help", "/ippo why", "/ippo why 1 2", "/ippo step 3", "/ippo done",
        "/ippo done lunch-with-another-team nice", "/ippo journey", "/ippo nudge on",
        "/ippo nudge", "/ippo home", "/ippo privacy", "/ippo forget", "/ippo tz Mars",
    ):  # fmt: skip
        replies.extend(await aki.say(line))
    replies.extend(await aki.press(replies, "step:easier"))
    t = MESSAGES.for_lang(lang)
    for reply in replies:
        out = render(reply.message, t)
        check_limits(out.payload())
        if reply.message.form is not None:
            modal = render_form(reply.message.form).payload()
            assert len(modal["title"]) <= 45 and len(modal["components"]) <= MODAL_INPUTS_MAX


async def test_oversized_messages_are_fitted_not_dropped() -> None:
    t = MESSAGES.for_lang("en")
    long_text = "word " * 1000  # 5000 characters
    many_fields = tuple(Field(f"label {i}", "v" * 300) for i in range(30))
    many_buttons = tuple(Button("b" * 100, f"f:v:{i}") for i in range(40))
    out = render(Message(long_text, title="T" * 300, fields=many_fields, buttons=many_buttons), t)
    payload = out.payload()
    check_limits(payload)
    embed = payload["embeds"][0]
    assert embed["title"].endswith("…")
    # Fields that do not fit become lines of the (shortened) description.
    assert 0 < len(embed["fields"]) <= EMBED_FIELDS_MAX
    assert embed["description"].endswith("…")
    # 40 buttons: four rows of five, and the other 20 in a "More…" select.
    rows = payload["components"]
    assert [len(r["components"]) for r in rows] == [5, 5, 5, 5, 1]
    assert len(rows[4]["components"][0]["options"]) == 20
    assert rows[4]["components"][0]["placeholder"] == t("discord.more_buttons")

    plain = render(Message("x" * 2500), t).payload()
    assert plain["content"] == "" and plain["embeds"][0]["description"] == "x" * 2500

    with pytest.raises(ValueError, match="modal holds"):
        render_form(Form("f:v", "T", "OK", tuple(FormInput(f"i{i}", "L") for i in range(6))))
