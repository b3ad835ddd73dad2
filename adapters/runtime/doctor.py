"""`ippo doctor`: check configuration, database and catalog; one line each.

Exit 0 when all is well (warnings included), 1 when anything needs fixing.
Every problem is reported in one run: settings are validated field by field,
and the rest is checked with what could be read (a bad setting falls back to
its default for the other checks). Used by people setting up a deployment and
by the Docker HEALTHCHECK. Never prints a secret.

The lines are operator text, in English like the rest of the CLI's output.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.config import OrganizerEntry, OrganizerEntryError
from config.catalog_loader import check_catalog_file
from config.settings import Settings, load_settings
from storage.db import make_engine, redact_url
from storage.errors import explain_open_failure, explain_url, sqlite_path
from storage.migrate import current_revision, head_revision


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    line: str
    warn: bool = False  # ok, but worth changing; does not fail the run


# --------------------------------------------------------------------------- settings


def env_name(loc: str) -> tuple[str, str | None]:
    """(variable name, Settings field) for a validation error's location."""
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        choices = [str(c) for c in getattr(alias, "choices", ())]
        if loc == name or loc in choices:
            return (choices[0] if choices else name.upper()), name
    return loc.upper() or "settings", None


def read_settings(overrides: Mapping[str, Any] | None = None) -> tuple[Settings, list[Finding]]:
    """Settings from the environment, plus one finding per invalid value.

    An invalid value is replaced by the field's default so the rest can still
    be checked; the finding names the variable and what it should look like.
    """
    given = dict(overrides or {})
    fallback: dict[str, Any] = {}
    found: list[Finding] = []
    for _ in range(len(Settings.model_fields) + 1):
        try:
            return load_settings(**given, **fallback), found
        except ValidationError as err:
            progress = False
            for problem in err.errors():
                loc = str(problem["loc"][0]) if problem["loc"] else ""
                variable, field = env_name(loc)
                message = str(problem["msg"]).removeprefix("Value error, ")
                found.append(
                    Finding(False, f"{variable}: {message} (the rest is checked with its default)")
                )
                if field is not None and field not in fallback:
                    info = Settings.model_fields[field]
                    fallback[field] = info.get_default(call_default_factory=True)
                    given.pop(field, None)
                    progress = True
            if not progress:
                break
    return Settings.model_construct(), found


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


SLACK_TEAM = re.compile(r"^[TE][A-Z0-9]{2,}$")
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
SNOWFLAKE = re.compile(r"^\d{1,25}$")
ORGANIZER_FORMS = "slack:<team id>:<user id>, discord:<server id>:<user id> or console:<name>"


def organizer_finding(entry: str) -> Finding | None:
    """A problem or warning for one `IPPO_ORGANIZERS` entry; None when fine."""
    bad = Finding(
        False, f"IPPO_ORGANIZERS: {entry!r} is not an organizer entry; write {ORGANIZER_FORMS}"
    )
    not_slack = Finding(
        False,
        f"IPPO_ORGANIZERS: {entry!r} is not a Slack organizer; write "
        "slack:<team id>:<user id>, e.g. slack:T012AB:U345CD",
    )
    not_discord = Finding(
        False,
        f"IPPO_ORGANIZERS: {entry!r} is not a Discord organizer; write "
        "discord:<server id>:<user id> (numbers)",
    )
    try:
        parsed = OrganizerEntry.parse(entry)
    except OrganizerEntryError as err:  # too many parts: say how a platform's entry looks
        return {"slack": not_slack, "discord": not_discord}.get(err.platform, bad)
    team, user = parsed.workspace, parsed.id
    if parsed.platform == "console":
        return None if team in ("", "console") else bad
    if parsed.platform == "slack":
        if not SLACK_USER.match(user) or (team and not SLACK_TEAM.match(team)):
            return not_slack
        if team:
            return None
        return Finding(
            True,
            f"IPPO_ORGANIZERS: {entry} counts in every Slack workspace; scope it to one: "
            f"slack:<team id>:{user} (the T… id in app.slack.com/client/T…/ in a browser)",
            warn=True,
        )
    if not SNOWFLAKE.match(user) or (team and not SNOWFLAKE.match(team)):
        return not_discord
    if team:
        return None
    return Finding(
        True,
        f"IPPO_ORGANIZERS: {entry} counts in every Discord server; scope it to one: "
        f"discord:<server id>:{user} (Developer Mode on, right-click the server, "
        "Copy Server ID)",
        warn=True,
    )


def check_organizers(settings: Settings) -> list[Finding]:
    entries = sorted(settings.organizer_entries())
    if not entries:
        return []
    found = [f for f in map(organizer_finding, entries) if f is not None]
    if not found:
        found.append(
            Finding(True, f"IPPO_ORGANIZERS: {len(entries)} organizer(s), each in one workspace")
        )
    return found


def creatable(folder: Path) -> bool:
    """Whether a file can be created in `folder` (tried with a temporary
    file, removed at once; permission bits alone lie to root)."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ippo-doctor-"):
            return True
    except OSError:
        return False


async def check_database(settings: Settings) -> list[Finding]:
    url = settings.database_url
    try:
        engine = make_engine(url)
    except (ArgumentError, ValueError):
        return [Finding(False, f"DATABASE_URL: {explain_url(url)}")]
    shown = redact_url(url)
    file = sqlite_path(url)
    if file is not None and not file.exists():
        await engine.dispose()
        folder = file.parent if str(file.parent) else Path.cwd()
        if folder.is_dir() and creatable(folder):
            return [
                Finding(
                    True,
                    f"database {shown}: no file yet; it will be created on first start "
                    "(or by `ippo db upgrade`)",
                )
            ]
        why = f"the folder {folder.resolve()} does not exist" if not folder.is_dir() else ""
        return [
            Finding(
                False,
                f"database {shown}: the file cannot be created: "
                + (why or f"{folder.resolve()} is not writable for this user")
                + "; create or fix the folder, or point DATABASE_URL elsewhere",
            )
        ]
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as err:
        reason = explain_open_failure(url, err) or (
            f"database {shown}: unreachable ({type(err).__name__}); "
            "check the host, credentials and that the server runs"
        )
        return [Finding(False, reason)]
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
    path = settings.catalog_file()
    problems = check_catalog_file(path)
    if not problems:
        return [Finding(True, f"catalog {path}: ok")]
    return [Finding(False, f"catalog: {p}") for p in problems]


async def run_doctor(
    settings: Settings,
    write: Callable[[str], None] = print,
    *,
    found: Sequence[Finding] = (),
) -> int:
    """Check everything and write one line per finding; `found` are earlier
    findings (the settings' own problems, from `read_settings`)."""
    findings = [
        *found,
        *check_tokens(settings),
        *check_organizers(settings),
        *await check_database(settings),
        *check_catalog(settings),
    ]
    for finding in findings:
        prefix = "FIX   " if not finding.ok else "WARN  " if finding.warn else "ok    "
        write(prefix + finding.line)
    bad = [f for f in findings if not f.ok]
    warned = [f for f in findings if f.ok and f.warn]
    if bad:
        write(f"{len(bad)} thing(s) to fix")
    elif warned:
        write(f"all is well, with {len(warned)} warning(s)")
    else:
        write("all is well")
    return 1 if bad else 0


def doctor_main(overrides: Mapping[str, Any] | None = None) -> int:
    """`ippo doctor`: read the settings (reporting every invalid one), then
    check the rest."""
    settings, found = read_settings(overrides)
    return asyncio.run(run_doctor(settings, found=found))
