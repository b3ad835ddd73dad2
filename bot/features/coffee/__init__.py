"""Coffee introductions (issue #15): members who opt in are introduced, every
few weeks, to one or two people from other departments, gently.

- `commands`: `/ippo coffee on|off|skip|pause|dept|avoid|quiet|status|channel`;
- `matching`: who meets whom (networkx maximum-weight matching), pure;
- `rounds`: when rounds fall (working days, each member's timezone), pure;
- `planner`: a round planned once per community (a unique round key), its
  groups turned into deliveries in bounded batches;
- `intro`: the introduction, "Let's meet" / "Not this time", and the one
  "Did you meet?" a week later;
- `access`: the organizer who chose a coffee channel ippo may not use is
  told, once;
- `ports`: what coffee stores (`uow.coffee`, storage/coffee.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.feature import lazy_exports

if TYPE_CHECKING:
    from bot.features.coffee.feature import FEATURE

__all__ = ["FEATURE"]


# `FEATURE`, imported on first use: storage imports this package's ports.
__getattr__ = lazy_exports(__name__, "bot.features.coffee.feature", *__all__)
