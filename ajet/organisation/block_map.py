"""The map of the blocks: Japan's 47 prefectures as SVG outlines, coloured and numbered by the block each
belongs to on a given day (from the database: blocks can move). The outlines are static data with their
licence in data/japan_map/README.md; nothing here knows which block a prefecture is in."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ajet.organisation.queries import BlockOverview

SHAPES = Path(__file__).parent / "data" / "japan_map" / "prefecture_shapes.json"
LABEL_MIN_AREA = 1000  # smaller outlines (Tokyo, Osaka, Kagawa …) carry no number: it would not fit
OKINAWA = "47"


@dataclass(frozen=True)
class MapPrefecture:
    code: str
    name: str
    block: object  # Block
    path: str
    label_at: tuple[int, int] | None  # where the block number is written, None when it does not fit


@cache
def _shapes() -> dict:
    return json.loads(SHAPES.read_text(encoding="utf-8"))


def block_map_context(overviews: list[BlockOverview]) -> dict:
    """What organisation/block_map.html draws, from `get_blocks_overview(day)`."""
    shapes = _shapes()
    prefectures = []
    for overview in overviews:
        for prefecture in overview.prefectures:
            area = shapes["areas"][prefecture.code]
            fits = area >= LABEL_MIN_AREA or prefecture.code == OKINAWA  # Okinawa stands alone in its inset
            label = tuple(shapes["centres"][prefecture.code]) if fits else None
            prefectures.append(MapPrefecture(prefecture.code, prefecture.name, overview.block,
                                             shapes["paths"][prefecture.code], label))
    prefectures.sort(key=lambda prefecture: prefecture.code)  # north to south: the order keys move in
    return {"width": shapes["width"], "height": shapes["height"], "inset": shapes["okinawa_inset"],
            "prefectures": prefectures, "overviews": overviews}
