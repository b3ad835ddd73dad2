"""The install recipe the Dockerfile runs, run here: the package installed
non-editable (`pip install --no-deps .`) works outside the source tree, with
its catalog, message catalogs and migrations included. A broken recipe fails
here, since no Docker engine runs in CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=build,
        env={**os.environ, "PIP_NO_CACHE_DIR": "1"},
    )
    return target


def run(installed: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    workdir = installed.parent / "data"
    workdir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(installed),
        DATABASE_URL=f"sqlite:///{workdir / 'ippo.db'}",
        PYTHONSAFEPATH="1",
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from adapters.main import main; sys.exit(main())",
            *argv,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_dockerfile_installs_from_the_same_lock_as_make() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "--requirement requirements.lock" in dockerfile
    assert "--requirement requirements.lock" in makefile
    assert re.search(r'CMD \["ippo", "run"\]', dockerfile)


def test_installed_package_migrates_checks_and_chats(installed: Path) -> None:
    assert not (installed / "tests").exists()
    upgraded = run(installed, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    doctor = run(installed, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "all is well" in doctor.stdout
    chat = run(installed, "run", "--user", "aki", stdin="/ippo step\n")
    assert chat.returncode == 0, chat.stderr
    assert "今週の一歩の候補" in chat.stdout
