"""The CLI loads a library only for the command that needs it: `ippo --help`
imports no platform library, no SQLAlchemy and not the core (it answers in
well under 0.3 s: bench/startup.py), `ippo doctor` no platform library (it
needs SQLAlchemy to look at the database), and what `ippo run` imports to
start leaves out the libraries loaded on first use. Each runs in a fresh
interpreter, which then lists every module it loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "--- modules ---"
PLATFORMS = ("slack_bolt", "slack_sdk", "discord", "aiohttp", "apscheduler")
# loaded where first used (a plan, a free-form date, a coffee round, a calendar, a
# migration), never at start
FIRST_USE = ("holidays", "dateparser", "networkx", "icalendar", "alembic")
SCRIPT = f"""
import sys
from adapters.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print({MARKER!r})
print("\\n".join(sorted(sys.modules)))
"""


def loaded(tmp_path: Path, *argv: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'ippo.db'}", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert MARKER in done.stdout, done.stderr
    return set(done.stdout.split(MARKER, 1)[1].split())


def roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_help_imports_no_platform_library_and_no_sqlalchemy(tmp_path: Path) -> None:
    found = roots(loaded(tmp_path, "--help"))
    assert "argparse" in found
    assert not found & {*PLATFORMS, *FIRST_USE, "sqlalchemy", "alembic", "bot"}


def test_doctor_imports_no_platform_library(tmp_path: Path) -> None:
    found = roots(loaded(tmp_path, "doctor"))
    assert "sqlalchemy" in found  # it does look at the database
    assert not found & {*PLATFORMS, *FIRST_USE}


def test_what_ippo_run_imports_to_start_leaves_the_first_use_libraries_out(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # serve, and what it imports (in a thread) to open Slack and Discord
    script = (
        "import sys\n"
        "from adapters.runtime.serve import warm\n"
        "from config.settings import Settings\n"
        "warm(Settings.model_validate({'slack_bot_token': 'xoxb-t',"
        " 'slack_signing_secret': 's', 'discord_token': 'd'}))\n"
        "print('\\n'.join(sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=True,
    )
    found = roots(set(done.stdout.split()))
    assert {"bot", "sqlalchemy", "slack_bolt", "discord"} <= found
    assert not found & set(FIRST_USE)
