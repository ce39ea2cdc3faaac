"""Which prefectures form which block on a given day. Block membership is dated data, not a constant."""

import datetime

from django.utils import timezone

from ajet.organisation.models import BlockAssignment


def block_map_on(day: datetime.date | None = None) -> dict[str, int]:
    """Prefecture code → block number as it held on `day` (today by default). One query."""
    day = day or timezone.localdate()
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
