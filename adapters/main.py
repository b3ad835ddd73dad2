"""The composition root and the `ippo` command line.

settings -> store (migrated) -> catalog -> core -> adapters -> scheduler.
Everything is built here, explicitly, and handed down; nothing is global.

Storage (SQLAlchemy) and the platform libraries are imported only inside the
commands that use them, so `ippo --help` and `ippo catalog check` load
neither, and `ippo doctor` no Slack or Discord library
(tests/test_cli_imports.py).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.catalog import Catalog
    from bot.core import Core
    from bot.model import Platform
    from bot.ports import Clock
    from config.settings import Settings
    from storage import SqlStore


@dataclass
class Runtime:
    settings: Settings
    store: SqlStore
    catalog: Catalog
    core: Core

    async def close(self) -> None:
        await self.store.close()


async def open_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    long_lived: bool = False,
) -> Runtime:
    """Migrate the database, load the catalog and build the core; the store
    is on `engine` when given (`ippo run` opens it first, for /healthz). A
    `long_lived` process (`ippo run`) migrates in a child process, so
    Alembic's ~10 MB never stays resident (storage.migrate)."""
    from adapters.runtime.clock import SystemClock
    from adapters.runtime.factory import core_from
    from storage import SqlStore, open_store, upgrade_database

    await upgrade_database(settings.database_url, apart=long_lived)
    store = SqlStore(engine) if engine is not None else open_store(settings.database_url)
    core = core_from(settings, store, clock or SystemClock())
    return Runtime(settings, store, core.catalog, core)


# --------------------------------------------------------------------------- commands


async def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """`ippo chat [--at ISO-8601]`: the console, with what arrived in its inbox;
    `--at` pins the clock as `ippo tick --at` does, so a week can be scripted."""
    from adapters.console.chat import ConsoleChat
    from adapters.console.messenger import ConsoleMessenger
    from adapters.runtime.tick import PinnedClock, parse_at
    from storage.console_inbox import SqlConsoleInbox

    clock: Clock | None = None
    if args.at:
        try:
            clock = PinnedClock(parse_at(args.at, settings.default_tz))
        except ValueError:
            print(
                f"ippo chat: --at {args.at!r} is not an ISO-8601 time "
                "(for example: --at 2026-11-30T09:30+09:00)",
                file=sys.stderr,
            )
            return 2
    runtime = await open_runtime(settings, clock=clock)
    try:
        inbox = SqlConsoleInbox(runtime.store.engine)
        messenger = ConsoleMessenger(inbox=inbox, clock=runtime.core.clock)
        chat = ConsoleChat(
            runtime.core, user=args.user, lang=args.lang, inbox=inbox, messenger=messenger
        )
        return await chat.run()
    finally:
        await runtime.close()


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """`ippo run`: the platforms (HTTP server first: adapters.runtime.serve),
    or the console when none is configured."""
    if settings.slack_enabled or settings.discord_enabled:
        from adapters.runtime.serve import serve

        async def opener(engine: AsyncEngine) -> Runtime:
            return await open_runtime(settings, engine=engine, long_lived=True)

        return await serve(settings, open_runtime=opener)
    from adapters.runtime.serve import serve_console

    runtime = await open_runtime(settings, long_lived=True)
    try:
        return await serve_console(runtime, user=args.user)
    finally:
        await runtime.close()


async def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from storage.copy import CopyRefused, copy_database
    from storage.db import redact_url

    if args.db_command == "copy":
        try:
            copied = await copy_database(settings.database_url, args.to)
        except CopyRefused as refused:
            print(f"not copied: {refused}", file=sys.stderr)
            return 1
        for table, rows in copied.rows.items():
            print(f"{table}: {rows}")
        print(f"copied {copied.total} rows to {redact_url(args.to)}")
        return 0
    from storage import upgrade_database

    await upgrade_database(settings.database_url)
    print(f"database is up to date: {redact_url(settings.database_url)}")
    return 0


def cmd_catalog_check(args: argparse.Namespace) -> int:
    from config.catalog_loader import check_catalog_file

    path = Path(args.file)
    problems = check_catalog_file(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0


def parse_ref(raw: str) -> tuple[Platform, str, str]:
    """ "slack:T012:C345" -> ("slack", "T012", "C345"); a bare id is a console one."""
    from bot.config import OrganizerEntry

    if ":" not in raw:
        return "console", "console", raw
    with contextlib.suppress(ValueError):
        ref = OrganizerEntry.parse(raw)
        if ref.workspace:
            return ref.platform, ref.workspace, ref.id
    raise ValueError(f"{raw!r}: expected PLATFORM:WORKSPACE:ID, e.g. slack:T012AB:C345CD")


async def cmd_sessions(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from adapters.sessions_cli import export_ics, import_ics
    from bot.model import ChannelRef, UserRef

    try:
        channel = ChannelRef(*parse_ref(args.channel)) if args.channel else None
        member = UserRef(*parse_ref(args.member)) if getattr(args, "member", None) else None
    except ValueError as err:
        print(f"ippo sessions: {err}", file=sys.stderr)
        return 2
    runtime = await open_runtime(settings)
    try:
        now = runtime.core.clock.now()
        if args.sessions_command == "export":
            if (channel is None) == (member is None):
                print("ippo sessions export: give one of --channel or --member", file=sys.stderr)
                return 2
            try:
                data = await export_ics(runtime.store, channel=channel, member_user=member, now=now)
            except LookupError as err:
                print(f"ippo sessions export: {err}", file=sys.stderr)
                return 1
            if args.out:
                await asyncio.to_thread(Path(args.out).write_bytes, data)
            else:
                sys.stdout.buffer.write(data)
            return 0
        if channel is None:
            print("ippo sessions import: --channel is required", file=sys.stderr)
            return 2
        try:
            report = await import_ics(
                runtime.store,
                args.file,
                channel,
                now=now,
                default_tz=settings.default_tz,
                lang=settings.default_lang,
            )
        except (ValueError, OSError) as err:
            print(f"ippo sessions import: {err}", file=sys.stderr)
            return 1
        print(report)
        return 0
    finally:
        await runtime.close()


async def cmd_discord_sync(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.discord_enabled:
        print("ippo discord sync: set DISCORD_TOKEN first", file=sys.stderr)
        return 1
    from adapters.discord.client import sync_commands

    count = await sync_commands(settings, args.guild)
    print(f"synced {count} command(s)" + (f" to guild {args.guild}" if args.guild else ""))
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ippo", description="ippo (one step): a gentle companion for first steps."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="database URL (default: DATABASE_URL or sqlite:///ippo.db)")
        return p

    default_user = getpass.getuser() or "you"
    run = with_db(sub.add_parser("run", help="run every configured adapter and the scheduler"))
    run.add_argument("--user", default=default_user, help="console user when no platform is set")

    chat = with_db(sub.add_parser("chat", help="talk to ippo in the terminal"))
    chat.add_argument("--user", default=default_user)
    chat.add_argument("--lang", choices=["ja", "en"])
    chat.add_argument("--at", help="ISO-8601 time to pin the clock at, as tick --at (default: now)")

    tick = with_db(sub.add_parser("tick", help="plan and send scheduled messages once, then exit"))
    tick.add_argument("--at", help="ISO-8601 time to run at (default: now)")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    with_db(db_sub.add_parser("upgrade", help="apply migrations"))
    copy = with_db(
        db_sub.add_parser(
            "copy", help="copy every row into another, empty database (e.g. SQLite -> PostgreSQL)"
        )
    )
    copy.add_argument("--to", required=True, metavar="URL", help="e.g. postgresql://ippo@db/ippo")

    with_db(sub.add_parser("doctor", help="check configuration, database and catalog"))

    sessions = sub.add_parser("sessions", help="calendar export and import")
    sessions_sub = sessions.add_subparsers(dest="sessions_command", required=True)
    export = with_db(sessions_sub.add_parser("export", help="write an iCalendar feed"))
    export.add_argument("--ics", action="store_true", help="iCalendar format (the only one)")
    export.add_argument("--channel", help="PLATFORM:WORKSPACE:CHANNEL_ID")
    export.add_argument("--member", help="PLATFORM:WORKSPACE:USER_ID")
    export.add_argument("--out", help="file to write (default: standard output)")
    imp = with_db(sessions_sub.add_parser("import", help="import events from an .ics file"))
    imp.add_argument("file")
    imp.add_argument("--channel", required=True, help="PLATFORM:WORKSPACE:CHANNEL_ID")

    discord = sub.add_parser("discord", help="Discord tools")
    discord_sub = discord.add_subparsers(dest="discord_command", required=True)
    sync = discord_sub.add_parser("sync", help="register the /ippo commands with Discord")
    sync.add_argument("--guild", type=int, help="one guild (instant) instead of global")

    catalog = sub.add_parser("catalog", help="step catalog tools")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True)
    check = catalog_sub.add_parser("check", help="validate a catalog file")
    check.add_argument("file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "catalog":
        return cmd_catalog_check(args)
    overrides = {"database_url": args.db} if getattr(args, "db", None) else {}
    if args.command == "doctor":
        from adapters.runtime.doctor import doctor_main

        return doctor_main(overrides)
    from pydantic import ValidationError

    from adapters.runtime.logs import configure_logging, secret_values
    from config.settings import load_settings

    try:
        settings = load_settings(**overrides)
    except ValidationError as err:
        for problem in err.errors():
            where = ".".join(str(p) for p in problem["loc"]).upper() or "settings"
            print(f"ippo: configuration: {where}: {problem['msg']}", file=sys.stderr)
        return 1
    console = args.command == "chat" or (
        args.command == "run" and not (settings.slack_enabled or settings.discord_enabled)
    )
    if console:
        console_logging(settings)
    else:
        configure_logging(
            level=settings.log_level, fmt=settings.log_format, secrets=secret_values(settings)
        )
    from storage.errors import DatabaseUnavailable

    try:
        return run_command(settings, args)
    except DatabaseUnavailable as err:
        # Every command opens its store through storage.upgrade_database,
        # which says in one line what is wrong and how to fix it.
        sub = getattr(args, "db_command", None) or getattr(args, "sessions_command", None)
        print(f"ippo {args.command}{f' {sub}' if sub else ''}: {err}", file=sys.stderr)
        return 1


def console_log_path(database_url: str) -> Path | None:
    """Where the console deployment logs: beside its SQLite file, with the
    suffix `.log` (`ippo.db` -> `ippo.log`); None for another database."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(database_url)
    except Exception:  # an unparseable URL is reported when the store opens
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database)).with_suffix(".log")


def console_logging(settings: Settings) -> None:
    """Logging for `ippo chat` and the console `ippo run`: nothing may print
    into the conversation. Every record (and Python warning) goes to the log
    file beside the database at the configured level; with no such file,
    to standard error at WARNING and above only."""
    from adapters.runtime.logs import configure_logging, secret_values

    secrets = secret_values(settings)
    path = console_log_path(settings.database_url)
    stream = None
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = path.open("a", encoding="utf-8")  # open for the process's life
        except OSError:
            stream = None
    if stream is not None:
        configure_logging(level=settings.log_level, fmt="json", secrets=secrets, stream=stream)
    else:
        level = max(logging.getLevelName(settings.log_level.upper()), logging.WARNING)
        configure_logging(
            level=logging.getLevelName(level), fmt=settings.log_format, secrets=secrets
        )
    logging.captureWarnings(True)


def run_command(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    match args.command:
        case "chat":
            return asyncio.run(cmd_chat(settings, args))
        case "run":
            return asyncio.run(cmd_run(settings, args))
        case "db":
            return asyncio.run(cmd_db(settings, args))
        case "sessions":
            return asyncio.run(cmd_sessions(settings, args))
        case "discord":
            return asyncio.run(cmd_discord_sync(settings, args))
        case "tick":
            from adapters.runtime.tick import tick_main

            return asyncio.run(tick_main(settings, at=args.at))
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
