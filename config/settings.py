"""Deployment settings, read once at start by `adapters.main`.

Values come from the environment (or a `.env` file) and, for secrets, from
files in a secrets directory (`IPPO_SECRETS_DIR`, e.g. /run/secrets, one file
per setting named like the variable). Tokens are `SecretStr`: they never print.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config import CoffeeConfig, CoreConfig, OrganizerRule
from bot.timezones import resolve_tz

DEFAULT_DB = "sqlite:///ippo.db"


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names, *(n.lower() for n in names))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    database_url: str = Field(DEFAULT_DB, validation_alias=_env("DATABASE_URL"))

    # Slack
    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=_env("IPPO_SLACK_API_URL")
    )
    slack_client_id: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_ID"))
    slack_client_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_CLIENT_SECRET")
    )

    # chat.postMessage per workspace in any 60 s (Slack: "several hundred per
    # minute"); the Slack messenger paces under it.
    slack_minute_budget: int = Field(300, gt=0, validation_alias=_env("IPPO_SLACK_MINUTE_BUDGET"))

    # Discord
    discord_token: SecretStr | None = Field(None, validation_alias=_env("DISCORD_TOKEN"))
    discord_api_url: str | None = Field(None, validation_alias=_env("IPPO_DISCORD_API_URL"))
    discord_gateway_url: str | None = Field(None, validation_alias=_env("IPPO_DISCORD_GATEWAY_URL"))
    discord_organizer_role: str | None = Field(
        None, validation_alias=_env("IPPO_DISCORD_ORGANIZER_ROLE")
    )

    # HTTP server (Slack HTTP mode, health, calendar feeds)
    http_host: str = Field("127.0.0.1", validation_alias=_env("IPPO_HTTP_HOST"))
    http_port: int = Field(3000, validation_alias=_env("IPPO_HTTP_PORT"))
    public_base_url: str = Field("", validation_alias=_env("IPPO_PUBLIC_URL"))

    # Community defaults
    default_lang: Literal["ja", "en"] = Field("ja", validation_alias=_env("IPPO_DEFAULT_LANG"))
    default_tz: str = Field("Asia/Tokyo", validation_alias=_env("IPPO_DEFAULT_TZ"))
    nudge_weekday: int = Field(0, ge=0, le=6, validation_alias=_env("IPPO_NUDGE_WEEKDAY"))
    nudge_time: str = Field("09:30", validation_alias=_env("IPPO_NUDGE_TIME"))
    # Coffee introductions (#15): a round every N weeks, on a weekday (0 =
    # Monday) at a time of day in each member's timezone; a pair is not made
    # again within the last N rounds.
    coffee_every_weeks: int = Field(
        2, ge=1, le=12, validation_alias=_env("IPPO_COFFEE_EVERY_WEEKS")
    )
    coffee_weekday: int = Field(1, ge=0, le=4, validation_alias=_env("IPPO_COFFEE_WEEKDAY"))
    coffee_time: str = Field("10:00", validation_alias=_env("IPPO_COFFEE_TIME"))
    coffee_no_repeat_rounds: int = Field(
        12, ge=0, le=104, validation_alias=_env("IPPO_COFFEE_NO_REPEAT_ROUNDS")
    )
    # Who may manage sessions, comma- or space-separated, each scoped to one
    # workspace: slack:<team>:<user>, discord:<guild>:<user>, console:<name>.
    # The older slack:<user> / discord:<user> still work (in every workspace);
    # `ippo doctor` warns about them. Matched by `bot.config.OrganizerRule`.
    organizers: str = Field("", validation_alias=_env("IPPO_ORGANIZERS"))
    organizer_grants: str = Field(
        "workspace_admin,manage_events", validation_alias=_env("IPPO_ORGANIZER_GRANTS")
    )
    catalog_path: Path | None = Field(None, validation_alias=_env("IPPO_CATALOG"))

    late_slot_hours: float = Field(6.0, gt=0, le=72, validation_alias=_env("IPPO_LATE_SLOT_HOURS"))

    # Scheduled sending (`ippo run`). A claim is a lease of `recover_after_s`
    # that its sender renews while it works; a lease left to run out (a crash)
    # is resolved by recovery: looked up on the platform, resent only if
    # absent. Tests shorten these.
    recover_after_s: float = Field(300.0, gt=0, validation_alias=_env("IPPO_RECOVER_AFTER_S"))
    plan_interval_s: float = Field(60.0, gt=0, validation_alias=_env("IPPO_PLAN_INTERVAL_S"))
    send_interval_s: float = Field(5.0, gt=0, validation_alias=_env("IPPO_SEND_INTERVAL_S"))
    recover_interval_s: float = Field(60.0, gt=0, validation_alias=_env("IPPO_RECOVER_INTERVAL_S"))

    log_format: Literal["auto", "json", "console"] = Field(
        "auto", validation_alias=_env("IPPO_LOG_FORMAT")
    )
    log_level: str = Field("INFO", validation_alias=_env("IPPO_LOG_LEVEL"))

    @field_validator("nudge_time", "coffee_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError(
                f"{value!r} is not a time of day; write HH:MM from 00:00 to 23:59, e.g. 09:30"
            )
        return value.strip()

    @field_validator("default_tz")
    @classmethod
    def _known_tz(cls, value: str) -> str:
        resolved = resolve_tz(value)
        if resolved is None:
            raise ValueError(f"unknown timezone {value!r} (use an IANA name like Asia/Tokyo)")
        return resolved

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None or self.slack_oauth_enabled

    @property
    def slack_oauth_enabled(self) -> bool:
        """Multi-workspace install: Slack's OAuth flow, tokens kept per workspace
        in the database. Needs HTTP mode (Slack redirects the installer's browser
        to ippo) and takes precedence over SLACK_BOT_TOKEN."""
        return (
            self.slack_client_id is not None
            and self.slack_client_secret is not None
            and self.slack_signing_secret is not None
        )

    @property
    def slack_http_mode(self) -> bool:
        """HTTP mode when a signing secret is set and no app-level token is."""
        return self.slack_signing_secret is not None and self.slack_app_token is None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    def organizer_entries(self) -> frozenset[str]:
        """`IPPO_ORGANIZERS` split into its entries (see `organizers`)."""
        words = self.organizers.replace(" ", ",").split(",")
        return frozenset(w.strip() for w in words if w.strip())

    def catalog_file(self) -> Path:
        """The step catalog: IPPO_CATALOG, or the one ippo ships."""
        from config.catalog_loader import default_catalog_path

        return self.catalog_path or default_catalog_path()

    def core_config(self) -> CoreConfig:
        def words(raw: str) -> frozenset[str]:
            return frozenset(w.strip() for w in raw.replace(" ", ",").split(",") if w.strip())

        grants = words(self.organizer_grants)
        if self.discord_organizer_role:
            grants |= {f"role:{self.discord_organizer_role}"}
        return CoreConfig(
            default_lang=self.default_lang,
            default_tz=self.default_tz,
            nudge_weekday=self.nudge_weekday,
            nudge_time=self.nudge_time,
            coffee=CoffeeConfig(
                every_weeks=self.coffee_every_weeks,
                weekday=self.coffee_weekday,
                time=self.coffee_time,
                no_repeat_rounds=self.coffee_no_repeat_rounds,
            ),
            late_slot_window=timedelta(hours=self.late_slot_hours),
            organizers=OrganizerRule(user_ids=self.organizer_entries(), grants=grants),
            public_base_url=self.public_base_url.rstrip("/"),
        )


def load_settings(secrets_dir: Path | None = None, **overrides: Any) -> Settings:
    """Settings from the environment, `.env` and the secrets directory
    (`secrets_dir`, else `IPPO_SECRETS_DIR`, e.g. /run/secrets)."""
    directory = secrets_dir or (
        Path(os.environ["IPPO_SECRETS_DIR"]) if os.environ.get("IPPO_SECRETS_DIR") else None
    )
    if directory is not None and directory.is_dir():
        overrides["_secrets_dir"] = directory
    return Settings(**overrides)
