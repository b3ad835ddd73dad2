"""`OrganizerEntry`: the one reading of `<platform>:<workspace>:<id>`, shared
by IPPO_ORGANIZERS (OrganizerRule, `ippo doctor`) and the CLI's references
(`ippo sessions export --channel slack:T012:C345`)."""

from __future__ import annotations

import pytest

from adapters.main import parse_ref
from bot.config import OrganizerEntry, OrganizerEntryError
from bot.model import UserRef


@pytest.mark.parametrize(
    ("raw", "entry"),
    [
        ("slack:T012AB:U345CD", OrganizerEntry("slack", "T012AB", "U345CD")),
        ("slack:U345CD", OrganizerEntry("slack", "", "U345CD")),
        ("discord:1:2", OrganizerEntry("discord", "1", "2")),
        ("console:aki", OrganizerEntry("console", "", "aki")),
    ],
)
def test_an_entry_reads_back_as_it_was_written(raw: str, entry: OrganizerEntry) -> None:
    assert OrganizerEntry.parse(raw) == entry
    assert entry.text() == raw


@pytest.mark.parametrize(
    ("raw", "platform"),
    [("aki", ""), ("teams:x:y", ""), ("slack::U1", ""), ("slack:T1:U1:x", "slack")],
)
def test_what_is_not_an_entry_says_whose_it_looked_like(raw: str, platform: str) -> None:
    with pytest.raises(OrganizerEntryError) as caught:
        OrganizerEntry.parse(raw)
    assert caught.value.platform == platform


def test_a_member_is_written_scoped_and_unscoped() -> None:
    user = UserRef("slack", "T1", "U1")
    assert OrganizerEntry.of(user).text() == "slack:T1:U1"
    assert OrganizerEntry.of(user, scoped=False).text() == "slack:U1"


def test_cli_references_need_a_workspace_or_are_console_names() -> None:
    assert parse_ref("slack:T012:C345") == ("slack", "T012", "C345")
    assert parse_ref("aki") == ("console", "console", "aki")
    for raw in ("console:aki", "teams:x:y", "slack:T1:C1:x"):
        with pytest.raises(ValueError, match="expected PLATFORM:WORKSPACE:ID"):
            parse_ref(raw)
