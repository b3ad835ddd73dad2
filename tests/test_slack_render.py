"""The Slack renderer: golden Block Kit for every core message shape, in both
languages, each validated by slack_sdk's Block Kit models; plus Block Kit's
limits on messages the core could produce at the edges.

Golden files live in tests/golden/slack/. After an intended change to a
message, the catalog or the renderer, regenerate them with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_slack_render.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack.render import (
    MAX_MESSAGE_BLOCKS,
    render_home,
    render_message,
    render_modal,
)
from bot.model import (
    Actor,
    Button,
    Choices,
    Field,
    Form,
    FormInput,
    Message,
    Option,
    Reply,
    UserRef,
)
from bot.testing import Harness, Person
from storage import SqlStore
from tests.corekit import build_core

GOLDEN = Path(__file__).parent / "golden" / "slack"
LOCALES = {"ja": "ja-JP", "en": "en-US"}


def validate_blocks(blocks: list[dict[str, Any]]) -> None:
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()
        assert block.to_dict() == raw


def validate_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    validate_blocks(view["blocks"])


def check_golden(name: str, rendered: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(rendered, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert json.loads(path.read_text(encoding="utf-8")) == rendered


def render_reply(reply: Reply) -> dict[str, Any]:
    if reply.message.form is not None:
        view = render_modal(reply.message, channel_id="C0001", close_label="close")
        validate_view(view)
        return view
    rendered = render_message(reply.message)
    validate_blocks(rendered["blocks"])
    return rendered


async def conversation(person: Person) -> dict[str, list[Reply]]:
    """One reply list per message shape the core produces."""
    shapes: dict[str, list[Reply]] = {}
    shapes["help"] = await person.say("/ippo help")
    shapes["unknown_command"] = await person.say("/ippo dance")
    shapes["why"] = await person.say("/ippo why")
    shapes["why_toggled"] = await person.press(shapes["why"], "why:toggle:")
    shapes["why_done"] = await person.press("why:done")
    shapes["step"] = await person.say("/ippo step")
    shapes["step_bad_count"] = await person.say("/ippo step 9")
    shapes["step_try"] = await person.press(shapes["step"], "step:try:")
    shapes["done_form"] = await person.press(shapes["step_try"], "step:done:")
    form = shapes["done_form"][0].message.form
    assert form is not None
    shapes["done_logged"] = await person.submit(form.form_id, {"note": "<b>&</b>"})
    shapes["journey"] = await person.say("/ippo journey")
    shapes["home_command"] = await person.say("/ippo home")
    shapes["tz"] = await person.say("/ippo tz")
    shapes["privacy"] = await person.say("/ippo privacy")
    shapes["forget_confirm"] = await person.say("/ippo forget")
    shapes["stale_button"] = await person.press("step:try:no-such-step")
    return shapes


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_golden_core_messages(sqlite_store: SqlStore, lang: str) -> None:
    core = build_core(sqlite_store)
    person = Harness(core, platform="slack", workspace="T0001").member(
        "UAKI", locale=LOCALES[lang], tz="Asia/Tokyo"
    )
    for name, replies in (await conversation(person)).items():
        assert replies, name
        rendered = [render_reply(r) for r in replies]
        check_golden(f"{name}.{lang}", {"replies": rendered})
    home = render_home(await core.home(person.actor))
    validate_view(home)
    check_golden(f"app_home.{lang}", home)


async def test_app_home_for_a_stranger_in_english(sqlite_store: SqlStore) -> None:
    core = build_core(sqlite_store)
    actor = Actor(UserRef("slack", "T0001", "UNEW"), locale="en-GB")
    home = render_home(await core.home(actor))
    validate_view(home)
    assert home["blocks"][0]["text"]["text"] == "Your ippo"


# --------------------------------------------------------------------------- limits


def test_long_text_is_split_into_sections_within_the_block_limit() -> None:
    line = "A step a day. " * 20 + "\n"
    message = Message(
        line * 2000,
        title="T" * 400,
        fields=tuple(Field(f"label {i}", "v" * 2500) for i in range(25)),
        buttons=tuple(Button("B" * 100, f"step:try:{i}") for i in range(30)),
        choices=Choices("p" * 200, tuple(Option("o" * 90, f"x:pick:{i}") for i in range(120))),
        tone="warning",
    )
    rendered = render_message(message)
    blocks = rendered["blocks"]
    validate_blocks(blocks)
    assert len(blocks) == MAX_MESSAGE_BLOCKS
    kinds = [b["type"] for b in blocks]
    assert kinds[0] == "header" and blocks[0]["text"]["text"].startswith(":warning: ")
    assert len(blocks[0]["text"]["text"]) == 150
    # fields, buttons and the select all survive; the text gives way
    assert kinds[-6:] == ["section", "section", "section", "actions", "actions", "actions"]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert sum(e["type"] == "button" for e in buttons) == 30
    assert all(len(e["text"]["text"]) <= 75 for e in buttons if e["type"] == "button")
    [select] = [e for e in buttons if e["type"] == "static_select"]
    assert len(select["options"]) == 100
    sections = [b for b in blocks if b["type"] == "section" and "text" in b]
    assert all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert sections[-1]["text"]["text"].endswith("…")
    assert len(rendered["text"]) <= 4000


def test_duplicate_button_ids_stay_unique_and_keep_their_route() -> None:
    message = Message("x", buttons=(Button("a", "step:more"), Button("b", "step:more")))
    [actions] = render_message(message)["blocks"][1:]
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == 2
    assert [e["value"] for e in actions["elements"]] == ["step:more", "step:more"]


def test_mrkdwn_control_characters_are_escaped() -> None:
    rendered = render_message(Message("<!channel> & <@U1>"))
    assert rendered["blocks"][0]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_modal_respects_view_limits() -> None:
    form = Form(
        "journey:done:x",
        "A very long form title that Slack would refuse",
        "A very long submit label indeed",
        (
            FormInput("what", "What", hint="h" * 300, initial="Lunch"),
            FormInput("note", "Note", kind="multiline", required=False),
        ),
    )
    view = render_modal(
        Message("fallback", form=form), channel_id=None, close_label="Cancel everything now please"
    )
    validate_view(view)
    assert view["callback_id"] == "journey:done:x"
    assert [b["block_id"] for b in view["blocks"][1:]] == ["what", "note"]
    assert view["blocks"][1]["element"]["initial_value"] == "Lunch"
    assert view["blocks"][2]["optional"] is True
    assert view["blocks"][2]["element"]["multiline"] is True
