"""Storage implements feature ports (`bot.features.coffee.ports`,
`bot.features.sessions.ports`): importing it loads those ports, not every
feature (`bot.features` and the coffee and sessions packages hand out their
declarations on first use)."""

from __future__ import annotations

import subprocess
import sys

DECLARATIONS = (
    "bot.features.listed",
    "bot.features.coffee.feature",
    "bot.features.sessions.feature",
)


def test_importing_the_store_loads_no_feature_declaration() -> None:
    probe = (
        "import sys, storage.store\n"
        f"print(','.join(m for m in {DECLARATIONS!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_features_are_still_handed_out() -> None:
    from bot.features import FEATURES, LISTED
    from bot.features.coffee import FEATURE as COFFEE
    from bot.features.sessions import FEATURE as SESSIONS

    assert COFFEE in LISTED and SESSIONS in LISTED and set(LISTED) < set(FEATURES)
