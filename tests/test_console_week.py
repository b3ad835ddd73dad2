"""A console week scripted with the real `ippo` entry (issue #13, "done when"):
`ippo chat --at …` and `ippo tick --at …` as separate processes on one SQLite
file. The nudge `tick` sends arrives in the member's next chat, its buttons
are pressed by number, the follow-up arrives the same way, and no log line
ever reaches the chat — even at DEBUG, logs go to the file beside the database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENTRY = "import sys; from adapters.main import main; sys.exit(main())"  # the `ippo` script
LOG_SHAPES = re.compile(
    r'"level"|\[(debug|info|warning|error)\s*\]|\b(DEBUG|INFO|WARNING|ERROR)\b'
    r"|apscheduler|alembic|sqlalchemy|Traceback",
    re.IGNORECASE,
)


def ippo(db: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(DATABASE_URL=f"sqlite:///{db}", IPPO_LOG_LEVEL="DEBUG", PYTHONWARNINGS="default")
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=90,
        check=False,
    )


def chat(db: Path, at: str, script: str) -> str:
    """One `ippo chat` session: what the member sees (stdout and stderr both
    reach their terminal; stderr must stay empty)."""
    result = ippo(db, "chat", "--user", "aki", "--lang", "en", "--at", at, stdin=script)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", f"something printed into the chat: {result.stderr!r}"
    assert not LOG_SHAPES.search(result.stdout), result.stdout
    return result.stdout


def tick(db: Path, at: str) -> str:
    result = ippo(db, "tick", "--at", at)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_scripted_console_week_delivers_the_nudge_and_follow_up_into_the_chat(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ippo.db"

    # Friday: the member turns nudges on.
    friday = chat(db, "2026-11-27T12:00", "/ippo nudge on\n")
    assert "Next one: Monday 2026-11-30 at 09:30" in friday

    # Monday, from cron: tick prints the nudge with its destination, as before…
    monday = tick(db, "2026-11-30T09:31")
    assert monday.startswith("→ @aki: == One small thing for this week ==")
    assert "[1] I'll try it" in monday

    # …and the member's next chat shows it, labelled, and presses its button.
    opened = chat(db, "2026-11-30T12:00", "1\n")
    assert "New since you were last here (1):" in opened
    assert "→ @aki: == One small thing for this week ==" in opened
    assert "Type a number (1–4) to press a button of the latest message." in opened
    assert "✓ Lovely" in opened and "Thursday 2026-12-03 at 09:30" in opened

    # Shown once: the next chat starts clean.
    again = chat(db, "2026-11-30T12:05", "")
    assert "New since" not in again and "→ @aki" not in again

    # Thursday: the follow-up arrives the same way; "Not yet" by number.
    thursday = tick(db, "2026-12-03T09:31")
    assert thursday.startswith("→ @aki: == How did it go? ==")
    later = chat(db, "2026-12-03T18:00", "9\n2\n")
    assert "→ @aki: == How did it go? ==" in later
    assert "There is no button number 9: type 1–3" in later
    assert "No rush at all." in later

    # A tick at the same moment again sends (and stores) nothing twice.
    assert tick(db, "2026-12-03T09:31") == ""
    assert "→ @aki" not in chat(db, "2026-12-03T18:05", "")

    # The logs went to the file beside the database, not into the chat.
    log = (tmp_path / "ippo.log").read_text("utf-8")
    assert log.strip(), "DEBUG logging wrote nothing to ippo.log"


def test_chat_refuses_an_unreadable_at(tmp_path: Path) -> None:
    result = ippo(tmp_path / "ippo.db", "chat", "--at", "next tuesday")
    assert result.returncode == 2
    assert "is not an ISO-8601 time" in result.stderr
