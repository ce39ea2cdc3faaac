import datetime

import pytest

from ajet.organisation.geography import block_map_on, block_of_prefecture, prefectures_of_block
from ajet.organisation.models import Block, BlockAssignment, Prefecture

pytestmark = pytest.mark.django_db


def test_all_47_prefectures_and_11_blocks_are_loaded():
    assert Prefecture.objects.count() == 47
    assert Block.objects.count() == 11
    assert Prefecture.objects.get(code="13").name_ja == "東京都"
    mapping = block_map_on()
    assert len(mapping) == 47
    assert set(mapping.values()) == set(range(1, 12))


def test_block_4_holds_tokyo_and_its_neighbours():
    assert prefectures_of_block(4) == ["12", "13", "14", "19", "22"]


def test_moving_a_prefecture_holds_from_its_date_and_keeps_the_past():
    move_on = datetime.date(2030, 4, 1)
    BlockAssignment.objects.create(prefecture_id="15", block_id=3, valid_from=move_on)  # Niigata → block 3
    assert block_of_prefecture("15", move_on - datetime.timedelta(days=1)) == 2
    assert block_of_prefecture("15", move_on) == 3
