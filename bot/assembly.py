"""The one place the core is put together from its parts.

`build_core(...)` makes the `Core` from the store, clock, catalog, settings
and message catalogs, with every feature (`bot.features.FEATURES`) unless
told otherwise; `Core.dispatcher(messengers)` makes the delivery engine from
the same parts. `ippo run`, `ippo tick`, `ippo chat`, the benchmarks and the
tests all build through here (`adapters.runtime.factory` reads the parts
from the settings), so none of them lists a feature or repeats the wiring.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.core import Core
from bot.feature import Feature
from bot.features import FEATURES
from bot.i18n import Messages
from bot.ports import Clock, Store


def build_core(
    store: Store,
    clock: Clock,
    *,
    catalog: Catalog,
    config: CoreConfig | None = None,
    messages: Messages | None = None,
    features: Sequence[Feature] = FEATURES,
) -> Core:
    return Core(
        store=store,
        catalog=catalog,
        clock=clock,
        config=config or CoreConfig(),
        messages=messages or Messages.load(),
        features=features,
    )
