"""The console adapter as a person uses it: `ippo chat` with scripted input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def chat(db: Path, script: str, *extra: str, user: str = "aki") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env["DATABASE_URL"] = f"sqlite:///{db}"
    return subprocess.run(
        [sys.executable, "-m", "adapters.main", "chat", "--user", user, *extra],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


JOURNEY_JA = "\n".join(
    [
        "/ippo why",
        "2",  # toggle the second reason
        "9",  # 決定
        "/ippo step",
        "3",  # ちょっと大変 — もっと気軽なものを
        "/ippo done 他部署の人とランチ 楽しかった",
        "/ippo journey",
    ]
)


def test_a_new_member_walks_through_why_step_too_much_done_and_journey_in_japanese(
    tmp_path: Path,
) -> None:
    result = chat(tmp_path / "ippo.db", JOURNEY_JA + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("こんにちは、aki さん。")
    assert "✓ 視野を広げたい" in out or "✓ " in out
    assert "今週の一歩の候補" in out
    assert "もっと気軽にできるもの" in out
    assert "記録しました: 他部署の人とランチ" in out
    assert "あなたの歩み" in out and "楽しかった" in out
    assert "Traceback" not in out + result.stderr


def test_the_same_walk_in_english(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/ippo why",
            "1",
            "9",
            "/ippo step",
            "3",
            '/ippo done "Lunch with planning" lovely',
            "/ippo journey",
        ]
    )
    result = chat(tmp_path / "ippo.db", script + "\n", "--lang", "en")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("Hello, aki.")
    assert "A step you could take this week" in out
    assert "Here is something lighter" in out
    assert "Logged: Lunch with planning" in out
    assert "Your journey" in out and "lovely" in out


def test_bad_input_is_answered_not_crashed(tmp_path: Path) -> None:
    result = chat(tmp_path / "ippo.db", "/ippo tz Nowhere/Land\n/ippo step 7\n42\n\n")
    assert result.returncode == 0
    assert "Nowhere/Land" in result.stdout  # answered, whatever the wording
    assert "/ippo step 2" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_restarting_keeps_everything(tmp_path: Path) -> None:
    db = tmp_path / "ippo.db"
    chat(db, '/ippo done "Went to the union meeting" calm\n', "--lang", "en")
    again = chat(db, "/ippo journey\n")
    assert "Went to the union meeting" in again.stdout and "calm" in again.stdout


def test_a_second_chat_on_the_same_file_works_while_the_first_is_open(tmp_path: Path) -> None:
    db = tmp_path / "ippo.db"
    chat(db, "/ippo help\n")  # create and migrate
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    first = subprocess.Popen(
        [sys.executable, "-m", "adapters.main", "chat", "--user", "aki", "--lang", "en"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert first.stdin is not None
    try:
        first.stdin.write('/ippo done "First window" one\n')
        first.stdin.flush()
        second = chat(db, '/ippo done "Second window" two\n/ippo journey\n', user="ben")
        assert "Second window" in second.stdout
        out, _ = first.communicate("/ippo journey\n", timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert "First window" in out and "Second window" not in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [(["catalog", "check", "config/catalog.yaml"], 0)],
)
def test_cli_catalog_check(argv: list[str], expected: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "adapters.main", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == expected, result.stdout + result.stderr
