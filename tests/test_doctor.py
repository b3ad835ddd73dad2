"""`ippo doctor` names what is wrong — a token, the database URL, the catalog —
precisely, one line each, and exits 1; or says all is well and exits 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.doctor import run_doctor
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
    code, lines = await doctor(database_url="mysql://somewhere/ippo")
    assert code == 1
    (problem,) = [p for p in problems(lines) if p.startswith("DATABASE_URL")]
    assert "example: sqlite:///ippo.db" in problem


async def test_an_unreachable_server_is_named_without_its_password() -> None:
    code, lines = await doctor(database_url="postgresql://ippo:hunter2@127.0.0.1:1/ippo")
    assert code == 1
    (problem,) = problems(lines)
    assert "unreachable" in problem and "hunter2" not in problem


async def test_a_missing_sqlite_file_is_reported_not_created(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    code, lines = await doctor(database_url=f"sqlite:///{target}")
    assert code == 1
    assert any("does not exist yet" in p and "ippo db upgrade" in p for p in problems(lines))
    assert not target.exists()


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
