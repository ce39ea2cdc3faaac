"""The block map is read once per data version and day, and a change to it is seen at once."""

import datetime

import pytest
from django.utils import timezone

from ajet.organisation.geography import block_map_on
from ajet.organisation.models import BlockAssignment

pytestmark = pytest.mark.django_db


def test_the_map_is_read_once_for_a_version_and_day(django_assert_num_queries):
    block_map_on()
    with django_assert_num_queries(0):
        assert block_map_on()["15"] == 2  # Niigata, block 2


def test_a_move_is_seen_at_once_even_inside_the_transaction_that_made_it():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert block_map_on(tomorrow)["15"] == 2
    BlockAssignment.objects.create(prefecture_id="15", block_id=3, valid_from=tomorrow)
    assert block_map_on(tomorrow)["15"] == 3
    assert block_map_on()["15"] == 2


def test_a_caller_changing_its_map_changes_nobody_elses():
    mine = block_map_on()
    mine["15"] = 11
    assert block_map_on()["15"] == 2
