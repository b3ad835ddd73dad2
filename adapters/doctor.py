"""`ippo doctor`: check configuration, database and catalog; one line each.

Exit 0 when all is well, 1 when anything needs fixing. Used by people setting
up a deployment and by the Docker HEALTHCHECK. Never prints a secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from config.catalog_loader import check_catalog_file, default_catalog_path
from config.settings import Settings
from storage.db import make_engine, redact_url
from storage.migrate import current_revision, head_revision


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    line: str


SLACK_BOT = re.compile(r"^xoxb-[0-9A-Za-z-]{10,}$")
SLACK_APP = re.compile(r"^xapp-[0-9A-Za-z-]{10,}$")
SLACK_SECRET = re.compile(r"^[0-9a-f]{32}$")
DISCORD = re.compile(r"^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$")


def check_tokens(settings: Settings) -> list[Finding]:
    found: list[Finding] = []

    def shape(name: str, value: str | None, pattern: re.Pattern[str], example: str) -> None:
        if value is None:
            return
        if pattern.match(value.strip()):
            found.append(Finding(True, f"{name}: set, well-formed"))
        else:
            found.append(Finding(False, f"{name}: malformed (expected {example})"))

    def secret(v: object) -> str | None:
        return v.get_secret_value() if v is not None else None  # type: ignore[attr-defined]

    shape("SLACK_BOT_TOKEN", secret(settings.slack_bot_token), SLACK_BOT, "xoxb-…")
    shape("SLACK_APP_TOKEN", secret(settings.slack_app_token), SLACK_APP, "xapp-…")
    shape(
        "SLACK_SIGNING_SECRET",
        secret(settings.slack_signing_secret),
        SLACK_SECRET,
        "32 hex characters from the app's Basic Information page",
    )
    shape(
        "DISCORD_TOKEN",
        secret(settings.discord_token),
        DISCORD,
        "the bot token from the Discord developer portal: three dot-separated parts",
    )
    if settings.slack_enabled and not (settings.slack_app_token or settings.slack_signing_secret):
        found.append(
            Finding(
                False,
                "Slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN "
                "(Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is",
            )
        )
    if (settings.slack_app_token or settings.slack_signing_secret) and not settings.slack_enabled:
        found.append(
            Finding(
                False,
                "Slack: an app token or signing secret is set but SLACK_BOT_TOKEN is missing "
                "(or, to install in several workspaces, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)",
            )
        )
    if bool(settings.slack_client_id) != bool(settings.slack_client_secret):
        found.append(
            Finding(False, "Slack: set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, or neither")
        )
    if settings.slack_oauth_enabled:
        if settings.slack_app_token is not None:
            found.append(
                Finding(
                    False,
                    "Slack: the multi-workspace install needs HTTP mode; unset SLACK_APP_TOKEN",
                )
            )
        if not settings.public_base_url:
            found.append(
                Finding(
                    False,
                    "Slack: the multi-workspace install needs IPPO_PUBLIC_URL "
                    "(e.g. https://ippo.example.org) for Slack's OAuth redirect",
                )
            )
    if not settings.slack_enabled and not settings.discord_enabled:
        found.append(Finding(True, "platforms: none configured; `ippo run` starts the console"))
    return found


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (probing must not create it), else None."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    database = parsed.database or ""
    return None if database in ("", ":memory:") else Path(database)


async def check_database(settings: Settings) -> list[Finding]:
    url = settings.database_url
    shown = redact_url(url)
    try:
        engine = make_engine(url)
    except (ArgumentError, ValueError) as err:
        return [
            Finding(
                False,
                f"DATABASE_URL: cannot be used ({err}); "
                "example: sqlite:///ippo.db or postgresql://user@host/db",
            )
        ]
    file = sqlite_file(url)
    if file is not None and not file.exists():
        await engine.dispose()
        return [
            Finding(
                False,
                f"database {shown}: the file does not exist yet; "
                "run `ippo db upgrade` (or start ippo) to create it",
            )
        ]
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as err:
        return [
            Finding(
                False,
                f"database {shown}: unreachable ({type(err).__name__}); "
                "check the host, credentials and that the server runs",
            )
        ]
    finally:
        await engine.dispose()
    current, head = await current_revision(url), head_revision()
    if current != head:
        return [
            Finding(
                False,
                f"database {shown}: schema at {current or 'empty'}, "
                f"code expects {head}; run `ippo db upgrade` (or start ippo)",
            )
        ]
    return [Finding(True, f"database {shown}: reachable, schema {head}")]


def check_catalog(settings: Settings) -> list[Finding]:
    path = Path(settings.catalog_path or default_catalog_path())
    problems = check_catalog_file(path)
    if not problems:
        return [Finding(True, f"catalog {path}: ok")]
    return [Finding(False, f"catalog: {p}") for p in problems]


async def run_doctor(settings: Settings, write: Callable[[str], None] = print) -> int:
    findings = [*check_tokens(settings), *await check_database(settings), *check_catalog(settings)]
    for finding in findings:
        write(("ok    " if finding.ok else "FIX   ") + finding.line)
    bad = [f for f in findings if not f.ok]
    write("all is well" if not bad else f"{len(bad)} thing(s) to fix")
    return 1 if bad else 0
