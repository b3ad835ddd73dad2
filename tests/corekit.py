"""Building a real core for tests: the shipped catalog, both message catalogs,
a fixed clock and whatever store the test hands in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot import assembly
from bot.config import CoreConfig
from bot.core import Core
from bot.delivery import Dispatcher
from bot.model import Platform
from bot.ports import Messenger, Store
from bot.testing import FixedClock, Harness
from config.catalog_loader import default_catalog_path, load_catalog

START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Tokyo


def build_core(
    store: Store, *, clock: FixedClock | None = None, config: CoreConfig | None = None
) -> Core:
    return assembly.build_core(
        store,
        clock or FixedClock(START),
        catalog=load_catalog(default_catalog_path()),
        config=config,
    )


def build_harness(
    store: Store, *, clock: FixedClock | None = None, config: CoreConfig | None = None
) -> Harness:
    return Harness(build_core(store, clock=clock, config=config))


def build_dispatcher(
    core: Core, messengers: Mapping[Platform, Messenger], **options: Any
) -> Dispatcher:
    """The real delivery engine, with every feature's scheduled work, on the
    core's store, catalog, config and clock."""
    return core.dispatcher(messengers, **options)
