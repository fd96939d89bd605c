"""The kinds of live threat and the notice every surface that shows threats carries.

Apart from ``airtally.model`` (pydantic) so that ``airtally --help``, whose ``threats --type``
help lists the kinds, loads no pydantic model: a cold start pays only for what it uses.

>>> THREAT_TYPES[0], "all_clear" in THREAT_TYPES
('strike_drones', True)
"""

from __future__ import annotations

from typing import Literal

ThreatType = Literal["strike_drones", "jet_drones", "cruise_missiles", "ballistic_missiles", "hypersonic",
                     "guided_bombs", "aircraft_takeoff", "all_clear"]
THREAT_TYPES: tuple[str, ...] = ThreatType.__args__  # type: ignore[attr-defined]
THREAT_DISCLAIMER = ("Threats are read from the channels' live posts: they are not official alerts "
                     "and do not replace air-raid sirens.")
