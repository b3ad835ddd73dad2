"""The core and the delivery engine, built from the settings in one place.

`ippo run`, `ippo tick`, `ippo chat` and the Discord client get the core here
and the Dispatcher from the core (`Core.dispatcher`), so the engine's options
that come from settings (`IPPO_RECOVER_AFTER_S`) are read once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.assembly import build_core
from bot.catalog import Catalog
from bot.core import Core
from bot.delivery import Dispatcher
from bot.model import Platform
from bot.ports import Clock, Messenger, Store
from config.catalog_loader import load_catalog
from config.settings import Settings


def catalog_from(settings: Settings) -> Catalog:
    return load_catalog(settings.catalog_file())


def core_from(settings: Settings, store: Store, clock: Clock) -> Core:
    return build_core(store, clock, catalog=catalog_from(settings), config=settings.core_config())


def dispatcher_from(
    settings: Settings, core: Core, messengers: Mapping[Platform, Messenger], **options: Any
) -> Dispatcher:
    return core.dispatcher(
        messengers, stuck_after=timedelta(seconds=settings.recover_after_s), **options
    )
