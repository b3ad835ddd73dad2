"""Logging for ippo and the libraries it runs on, and what it must never write.

Format: JSON lines when stderr is not a terminal, readable lines when it is
(`IPPO_LOG_FORMAT` = auto | json | console); `IPPO_LOG_LEVEL` sets the level.
Records from the standard library's `logging` (ippo's own modules and every
library) and from structlog go through one handler on stderr.

Privacy (issue #12). Whatever the level, the log never holds a token or
secret, a calendar feed token, a member's note or a free-text step. Notes and
free text have no recognisable shape, so they are kept out at the source;
tokens are also masked by value and by shape as a last line of defence. The
three layers, all on the one handler `configure_logging` installs:

1. **Payload loggers are floored.** Libraries that write request or response
   bodies at DEBUG never pass below INFO here, whatever the configured level
   (`PAYLOAD_LOGGERS` says what each one would write). The floor is a filter on
   the handler, not only a logger level, because slack_bolt copies the root
   logger's level onto each of its loggers when an app is built. SQLAlchemy's
   parameters are hidden at the source (`hide_parameters=True` on every
   engine, storage/db.py); at DEBUG the engine logs its SQL text, never rows.
2. **Records known to carry a body are rewritten** before they are formatted:
   Bolt's signature-failure line (it holds the whole request body, so a
   correctly signed but stale request would write the member's note) and its
   other body-quoting lines; anything after ``body:`` in a Slack library line.
3. **Secrets are masked in everything rendered** (message, extra fields,
   exception text): the configured secrets by value (`secret_values`: every
   `SecretStr` setting and the database password) and these shapes: Slack
   tokens (``xox?-``, ``xapp-``), Discord bot tokens, calendar feed paths
   (``/ics/<token>.ics``, so the aiohttp access log keeps its path with the
   token masked), Slack ``response_url``s, Discord interaction tokens in
   webhook/interaction URLs, OAuth ``code``/``state`` query values and
   ``Authorization`` header values.

A library upgrade that starts logging payloads from a new logger at DEBUG is
only caught by tests/test_log_privacy.py, which runs whole conversations at
DEBUG on every platform and reads every line written: add the logger to
`PAYLOAD_LOGGERS` when it fails.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from functools import lru_cache
from typing import Any, TextIO

import structlog
from pydantic import SecretStr

from config.settings import Settings

__all__ = [
    "MASK",
    "PAYLOAD_LOGGERS",
    "PayloadGuard",
    "Redactor",
    "configure_logging",
    "secret_values",
]

MASK = "[redacted]"
MIN_SECRET_LEN = 6
"""Configured secrets shorter than this are not masked by value (they would
shred ordinary words); no real token or secret is that short."""

PAYLOAD_LOGGERS: Mapping[str, int] = {
    # Web API requests (params, JSON body) and whole response bodies;
    # response_url posts with their body; every Socket Mode envelope.
    "slack_sdk": logging.INFO,
    # Request bodies when responding and when a listener is chosen.
    "slack_bolt": logging.INFO,
    # Gateway: every event payload (interactions with modal values);
    # REST: request and response bodies; webhooks: URLs with interaction tokens.
    "discord": logging.INFO,
    # The repr of every call: SQL text with its parameters.
    "aiosqlite": logging.INFO,
    # Connection attempts and pipeline internals.
    "psycopg": logging.INFO,
    # Result rows at DEBUG (parameters are hidden on the engine).
    "sqlalchemy.engine": logging.INFO,
}
"""Library logger (and its children) -> the lowest level that is written."""

_REWRITES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "slack_bolt",
        re.compile(r"^Invalid request signature detected.*?timestamp: ([^,)]*).*\Z", re.S),
        r"Slack request refused: invalid or expired signature (timestamp \1; body not logged)",
    ),
    (
        "slack_bolt",
        re.compile(r"(without providing a response for the request) \(.*\Z", re.S),
        r"\1 (body not logged)",
    ),
    ("slack_bolt", re.compile(r"^Unhandled request \(.*?\)(?=\n|\Z)", re.S), "Unhandled request"),
    ("slack_bolt", re.compile(r"(body: ?).*\Z", re.S | re.I), r"\1[not logged]"),
    ("slack_sdk", re.compile(r"(body: ?).*\Z", re.S | re.I), r"\1[not logged]"),
)
"""(logger prefix, message pattern, replacement) for records that quote a body."""

_NOT_TOKEN = r"[^\s\"'<>,;)}\]]"
SECRET_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Slack bot/user/refresh tokens (xoxb-, xoxp-, xoxe-, xoxe.xoxp-) and app tokens.
    (re.compile(r"(?<![A-Za-z0-9])xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+"), MASK),
    (re.compile(r"(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]+"), MASK),
    # Discord bot tokens: base64(user id) "." timestamp "." HMAC (JWTs look alike).
    (
        re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{27,}"),
        MASK,
    ),
    # Calendar feeds: the path segment after /ics/ is the member's secret.
    (re.compile(r"(/ics/)[^\s\"'?#/<>.]+"), r"\1[feed]"),
    # Slack response_url and incoming webhooks: the path is the credential.
    (re.compile(r"(hooks\.slack\.com/)" + _NOT_TOKEN + "+"), r"\1" + MASK),
    # Discord interaction tokens in webhook and callback URLs.
    (re.compile(r"(/(?:webhooks|interactions)/\d+/)[^\s\"'/?<>]+"), r"\1" + MASK),
    # OAuth redirects and the like.
    (
        re.compile(r"([?&](?:code|state|token|access_token|client_secret)=)[^&\s\"'#<>]+"),
        r"\1" + MASK,
    ),
    (
        re.compile(
            r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?(?:bearer\s+|bot\s+)?)" + _NOT_TOKEN + "+"
        ),
        r"\1" + MASK,
    ),
)
"""(pattern, replacement) for secrets recognisable by their shape."""


class Redactor:
    """Masks secrets in text: the configured values, then `SECRET_SHAPES`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = sorted({s for s in secrets if len(s) >= MIN_SECRET_LEN}, key=len, reverse=True)
        self._values = re.compile("|".join(map(re.escape, values))) if values else None

    def __call__(self, text: str) -> str:
        if self._values is not None:
            text = self._values.sub(MASK, text)
        for pattern, replacement in SECRET_SHAPES:
            text = pattern.sub(replacement, text)
        return text

    def scrub(self, value: Any) -> Any:
        """`value` with every string in it masked; objects become their str."""
        if isinstance(value, str):
            return self(value)
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, Mapping):
            return {str(k): self.scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.scrub(v) for v in value]
        return self(str(value))

    def processor(
        self, _logger: Any, _method: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        """structlog processor: the last step before rendering."""
        for key, value in event.items():
            if not key.startswith("_"):
                event[key] = self.scrub(value)
        return event


@lru_cache(maxsize=512)
def _floor(name: str) -> int:
    """The lowest level written for logger `name` (see PAYLOAD_LOGGERS)."""
    while name:
        if name in PAYLOAD_LOGGERS:
            return PAYLOAD_LOGGERS[name]
        name = name.rpartition(".")[0]
    return logging.NOTSET


class PayloadGuard(logging.Filter):
    """Handler filter: drops payload loggers' records below their floor and
    rewrites library lines that quote a request or response body."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < _floor(record.name):
            return False
        if not isinstance(record.msg, str):  # structlog's own records carry a dict
            return True
        rules = [(p, r) for prefix, p, r in _REWRITES if _is_under(record.name, prefix)]
        if not rules:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed library call; logging would report it anyway
            message = str(record.msg)
        rewritten = message
        for pattern, replacement in rules:
            rewritten = pattern.sub(replacement, rewritten)
        if rewritten != message:
            record.msg, record.args = rewritten, ()
        return True


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret: each `SecretStr` setting and the database
    password, for `configure_logging(secrets=...)`."""
    from sqlalchemy.engine import make_url  # not at import: `ippo --help` needs no SQLAlchemy

    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name, None)
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
    try:
        password = make_url(settings.database_url).password
    except Exception:  # an unparseable URL is reported where it is used
        password = None
    if password:
        found.append(str(password))
    return [s for s in found if s]


def configure_logging(
    *,
    level: str = "INFO",
    fmt: str = "auto",
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Route stdlib and structlog records through one redacting handler on
    `stream` (stderr by default), replacing the root logger's handlers.
    Returns the handler."""
    out = stream if stream is not None else sys.stderr
    as_json = fmt == "json" or (fmt == "auto" and not out.isatty())
    redactor = Redactor(secrets)
    renderer: Callable[..., Any] = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if as_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redactor.processor,
            renderer,
        ],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    handler.addFilter(PayloadGuard())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Below a payload logger's floor nothing is written (PayloadGuard); the
    # logger levels save building those records at all.
    for name, floor in PAYLOAD_LOGGERS.items():
        logging.getLogger(name).setLevel(max(floor, root.level))
    # SQL text only when asked for DEBUG; SQLAlchemy's own default otherwise.
    sql = logging.INFO if root.level <= logging.DEBUG else logging.WARNING
    logging.getLogger("sqlalchemy.engine").setLevel(sql)
    # Migration chatter is noise in a terminal chat; problems still show.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    return handler
