"""Which prefectures form which block on a given day. Block membership is dated data, not a constant."""

import datetime

from django.utils import timezone

from ajet.core.cache import version_of
from ajet.organisation.models import BlockAssignment
from ajet.organisation.powers import ORGANISATION_DATA

# Block maps already read by this process, by (organisation data version, day): every scope, audience and
# power asks for the map, often several times a page, and it changes a few times a decade. A write to the
# block assignments bumps the shared version (organisation/signals.py), so no worker reads an old map.
_maps: dict[tuple[int, datetime.date], dict[str, int]] = {}
_MAPS_KEPT = 16


def block_map_on(day: datetime.date | None = None) -> dict[str, int]:
    """Prefecture code → block number as it held on `day` (today by default). At most one query."""
    day = day or timezone.localdate()
    key = (version_of(ORGANISATION_DATA), day)
    if key not in _maps:
        if len(_maps) >= _MAPS_KEPT:
            _maps.clear()
        _maps[key] = _read_block_map(day)
    return dict(_maps[key])  # a copy: callers may change theirs


def _read_block_map(day: datetime.date) -> dict[str, int]:
    mapping: dict[str, int] = {}
    rows = (
        BlockAssignment.objects.filter(valid_from__lte=day)
        .order_by("prefecture_id", "valid_from")
        .values_list("prefecture_id", "block_id")
    )
    for prefecture_code, block_number in rows:
        mapping[prefecture_code] = block_number  # later assignments overwrite earlier ones
    return mapping


def prefectures_of_block(block_number: int, day: datetime.date | None = None) -> list[str]:
    return sorted(code for code, number in block_map_on(day).items() if number == block_number)


def block_of_prefecture(prefecture_code: str, day: datetime.date | None = None) -> int | None:
    return block_map_on(day).get(prefecture_code)
