"""`ippo doctor` names what is wrong — a setting, a token, an organizer entry,
the database URL, the catalog — precisely, one line each, all of them in one
run, and exits 1; or says all is well (perhaps with warnings) and exits 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.main import main
from adapters.runtime.doctor import run_doctor
from config.settings import Settings
from storage.migrate import upgrade_database

GOOD_SECRET = "0123456789abcdef0123456789abcdef"


async def doctor(**settings: Any) -> tuple[int, list[str]]:
    lines: list[str] = []
    code = await run_doctor(Settings(**settings), lines.append)
    return code, lines


def problems(lines: list[str]) -> list[str]:
    return [line.removeprefix("FIX   ") for line in lines if line.startswith("FIX")]


async def migrated(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ippo.db'}"
    await upgrade_database(url)
    return url


async def test_all_is_well_on_a_migrated_database_with_no_platform(tmp_path: Path) -> None:
    code, lines = await doctor(database_url=await migrated(tmp_path))
    assert code == 0, lines
    assert lines[-1] == "all is well"
    assert any("console" in line for line in lines)


async def test_a_malformed_token_is_named_without_showing_it(tmp_path: Path) -> None:
    code, lines = await doctor(
        database_url=await migrated(tmp_path),
        slack_bot_token="xoxp-user-token-by-mistake",
        slack_signing_secret=GOOD_SECRET,
    )
    assert code == 1
    assert problems(lines) == ["SLACK_BOT_TOKEN: malformed (expected xoxb-…)"]
    assert "xoxp-user-token-by-mistake" not in "\n".join(lines)


async def test_a_slack_token_without_a_mode_is_named(tmp_path: Path) -> None:
    _, lines = await doctor(
        database_url=await migrated(tmp_path), slack_bot_token="xoxb-1234567890-abcdef"
    )
    assert problems(lines) == [
        "Slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN "
        "(Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is"
    ]


async def test_multi_workspace_install_needs_both_credentials_and_a_public_url(
    tmp_path: Path,
) -> None:
    url = await migrated(tmp_path)
    _, half = await doctor(database_url=url, slack_client_id="1111.2222")
    assert "Slack: set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, or neither" in problems(half)
    _, no_url = await doctor(
        database_url=url,
        slack_client_id="1111.2222",
        slack_client_secret="s3cret",
        slack_signing_secret=GOOD_SECRET,
    )
    assert any("IPPO_PUBLIC_URL" in p for p in problems(no_url))
    code, fine = await doctor(
        database_url=url,
        slack_client_id="1111.2222",
        slack_client_secret="s3cret",
        slack_signing_secret=GOOD_SECRET,
        public_base_url="https://ippo.example.org",
    )
    assert code == 0, fine


async def test_a_database_url_that_cannot_work_gets_an_example() -> None:
    for url in ("mysql://somewhere/ippo", "not a url", "postgresql://ippo:hunter2@db:port/x"):
        code, lines = await doctor(database_url=url)
        assert code == 1
        (problem,) = [p for p in problems(lines) if p.startswith("DATABASE_URL")]
        assert "sqlite:///ippo.db or postgresql://user@host/dbname" in problem
        assert "hunter2" not in "\n".join(lines)


async def test_an_unreachable_server_is_named_without_its_password() -> None:
    code, lines = await doctor(database_url="postgresql://ippo:hunter2@127.0.0.1:1/ippo")
    assert code == 1
    (problem,) = problems(lines)
    assert "unreachable" in problem and "hunter2" not in problem


async def test_a_missing_sqlite_file_will_be_created_and_is_not_created_by_doctor(
    tmp_path: Path,
) -> None:
    target = tmp_path / "new.db"
    code, lines = await doctor(database_url=f"sqlite:///{target}")
    assert code == 0, lines
    assert any("will be created" in line for line in lines)
    assert not target.exists()


async def test_a_sqlite_file_that_cannot_be_created_is_a_problem() -> None:
    for url in ("sqlite:////proc/ippo-nowhere/ippo.db", "sqlite:////proc/ippo.db"):
        code, lines = await doctor(database_url=url)
        assert code == 1
        (problem,) = problems(lines)
        assert "cannot be created" in problem and "DATABASE_URL" in problem


async def test_an_old_schema_says_to_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    await upgrade_database(url, revision="0002_sessions")
    _, lines = await doctor(database_url=url)
    (problem,) = problems(lines)
    assert "0002_sessions" in problem and "ippo db upgrade" in problem


async def test_a_broken_catalog_is_named_with_its_line(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("rungs:\n  - id: 1\n    name: {ja: 見る}\n", encoding="utf-8")
    code, lines = await doctor(database_url=await migrated(tmp_path), catalog_path=catalog)
    assert code == 1
    found = problems(lines)
    assert "catalog: catalog.yaml:1: the catalog: missing required key 'version'" in found
    assert "catalog: catalog.yaml:2: rungs[0]: missing required key 'description'" in found


# --------------------------------------------------------------------------- the real entry

PLATFORM_VARIABLES = (
    "DATABASE_URL",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "DISCORD_TOKEN",
    "IPPO_ORGANIZERS",
    "IPPO_CATALOG",
    "IPPO_SECRETS_DIR",
)


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new deployment: an empty working folder, nothing configured."""
    monkeypatch.chdir(tmp_path)
    for name in PLATFORM_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return tmp_path


def ippo(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_fresh_default_setup_is_well_and_the_file_will_be_created(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = ippo(capsys, "doctor")
    assert code == 0, lines
    assert "ok    database sqlite:///ippo.db: no file yet; it will be created on first start" in (
        "\n".join(lines)
    )
    assert lines[-1] == "all is well"
    assert list(fresh.iterdir()) == []  # doctor created nothing


def test_every_bad_setting_is_named_in_one_run_and_the_rest_still_checked(
    fresh: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPPO_NUDGE_TIME", "25:99")
    monkeypatch.setenv("IPPO_DEFAULT_TZ", "Mars/Olympus")
    monkeypatch.setenv("IPPO_NUDGE_WEEKDAY", "9")
    monkeypatch.setenv("IPPO_DEFAULT_LANG", "fr")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-not-a-bot-token")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A0123456789-0123456789")
    (fresh / "catalog.yaml").write_text("rungs: []\n", encoding="utf-8")
    monkeypatch.setenv("IPPO_CATALOG", str(fresh / "catalog.yaml"))
    code, lines, _ = ippo(capsys, "doctor")
    assert code == 1
    found = problems(lines)
    named = {p.split(":", 1)[0] for p in found}
    assert {
        "IPPO_NUDGE_TIME",
        "IPPO_DEFAULT_TZ",
        "IPPO_NUDGE_WEEKDAY",
        "IPPO_DEFAULT_LANG",
        "SLACK_BOT_TOKEN",  # checked after the settings, with what could be read
        "catalog",
    } <= named, found
    assert any("'25:99' is not a time of day; write HH:MM" in p for p in found)
    assert any("Mars/Olympus" in p and "Asia/Tokyo" in p for p in found)
    assert any("will be created" in line for line in lines)  # the database was checked too
    assert lines[-1] == f"{len(found)} thing(s) to fix"
    assert "xoxp-not-a-bot-token" not in "\n".join(lines)


async def test_unscoped_organizers_work_but_are_warned_about(tmp_path: Path) -> None:
    code, lines = await doctor(
        database_url=await migrated(tmp_path),
        organizers="slack:U0AKI discord:80351110224678912, slack:T0001:U0BOSS "
        "discord:41771983423143937:80351110224678912 console:aki",
    )
    assert code == 0, lines
    warnings = [line.removeprefix("WARN  ") for line in lines if line.startswith("WARN")]
    assert warnings == [
        "IPPO_ORGANIZERS: discord:80351110224678912 counts in every Discord server; scope it "
        "to one: discord:<server id>:80351110224678912 (Developer Mode on, right-click the "
        "server, Copy Server ID)",
        "IPPO_ORGANIZERS: slack:U0AKI counts in every Slack workspace; scope it to one: "
        "slack:<team id>:U0AKI (the T… id in app.slack.com/client/T…/ in a browser)",
    ]
    assert lines[-1] == "all is well, with 2 warning(s)"


async def test_organizer_entries_that_match_no_one_are_problems(tmp_path: Path) -> None:
    code, lines = await doctor(
        database_url=await migrated(tmp_path),
        organizers="aki, slack:U0BOSS:T0001, discord:guild:123, teams:x:y, console:a:b",
    )
    assert code == 1
    found = problems(lines)
    assert len(found) == 5, found
    assert all(p.startswith("IPPO_ORGANIZERS: ") for p in found)
    assert any("slack:<team id>:<user id>, e.g. slack:T012AB:U345CD" in p for p in found)


async def test_scoped_organizers_are_counted(tmp_path: Path) -> None:
    _, lines = await doctor(
        database_url=await migrated(tmp_path), organizers="slack:T0001:U0BOSS,console:aki"
    )
    assert "ok    IPPO_ORGANIZERS: 2 organizer(s), each in one workspace" in lines
