"""The real `ippo` command on a database it cannot open: one line on standard
error saying what is wrong and how to fix it (never a password, never a
traceback), exit status 1 — the same for every command that opens the store,
since they all open it through `storage.upgrade_database`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.runkit import clean_env

BIN = Path(sys.executable).parent / "ippo"
ENTRY = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "adapters.main"]
PASSWORD = "hunter2"
UNREACHABLE = f"postgresql+psycopg://nobody:{PASSWORD}@127.0.0.1:1/x"


def ippo(tmp_path: Path, *argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [*ENTRY, *argv],
        cwd=tmp_path,
        env=clean_env(env or {}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and PASSWORD not in stderr
    return lines[0]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:////proc/ippo-nowhere/ippo.db", "the folder /proc/ippo-nowhere does not exist"),
        ("sqlite:////proc/ippo.db", "/proc/ippo.db cannot be created or written there"),
    ],
)
def test_db_upgrade_on_an_unwritable_path(tmp_path: Path, url: str, says: str) -> None:
    code, out, err = ippo(tmp_path, "db", "upgrade", "--db", url)
    assert code == 1 and out == ""
    line = one_line(err)
    assert line.startswith(f"ippo db upgrade: cannot open the SQLite database {url}: "), line
    assert says in line and "choose another path" in line


def test_chat_with_a_string_that_is_not_a_url(tmp_path: Path) -> None:
    code, _, err = ippo(tmp_path, "chat", "--db", "not a url")
    assert code == 1
    assert one_line(err) == (
        "ippo chat: the database URL 'not a url' (--db or DATABASE_URL) is not a URL; "
        "write it like sqlite:///ippo.db or postgresql://user@host/dbname"
    )
    assert list(tmp_path.iterdir()) == []


def test_chat_with_an_unreachable_server(tmp_path: Path) -> None:
    code, _, err = ippo(tmp_path, "chat", "--db", UNREACHABLE)
    assert code == 1
    assert one_line(err) == (
        "ippo chat: cannot open the database postgresql+psycopg://nobody:***@127.0.0.1:1/x: "
        "unreachable (connection refused); check the host and port and that the server runs"
    )


def test_chat_with_a_url_whose_port_is_not_a_number(tmp_path: Path) -> None:
    code, _, err = ippo(tmp_path, "chat", "--db", f"postgresql://ippo:{PASSWORD}@db:port/ippo")
    assert code == 1
    assert "is not a URL" in one_line(err)


NOT_A_URL = ("not a url", "is not a URL; write it like sqlite:///ippo.db")
MYSQL = (f"mysql://ippo:{PASSWORD}@db/ippo", "names mysql, which ippo does not support")
REFUSED = (UNREACHABLE, "unreachable (connection refused)")


@pytest.mark.parametrize(
    ("argv", "url", "says"),
    [
        (("tick",), *NOT_A_URL),
        (("tick",), *MYSQL),
        (("tick",), *REFUSED),
        (("run",), *REFUSED),
        (("run",), *MYSQL),
        (("sessions", "export", "--channel", "x"), *NOT_A_URL),
    ],
)
def test_every_command_that_opens_the_store_says_the_same_from_database_url(
    tmp_path: Path, argv: tuple[str, ...], url: str, says: str
) -> None:
    code, _, err = ippo(tmp_path, *argv, env={"DATABASE_URL": url})
    assert code == 1
    line = one_line(err)
    assert line.startswith(f"ippo {' '.join(argv[:2]) if argv[0] == 'sessions' else argv[0]}: ")
    assert says in line
