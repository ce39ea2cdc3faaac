"""Executives move a prefecture to another block from a given day; earlier days keep their block."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.organisation.geography import block_of_prefecture
from ajet.organisation.models import BlockAssignment
from ajet.organisation.powers import forget_powers, powers_of
from tests.factories import once_sent

pytestmark = pytest.mark.django_db


def test_executive_moves_saitama_to_block_4_from_a_day(client, executive, block_rep):
    today = timezone.localdate()
    move_day = today + datetime.timedelta(days=10)
    client.force_login(executive.user)
    response = client.post(reverse("organisation:prefecture_move", args=["11"]),
                           once_sent({"block": 4, "valid_from": str(move_day)}))
    assert response.status_code == 302
    assert block_of_prefecture("11", today) == 3
    assert block_of_prefecture("11", move_day) == 4
    entry = AuditEntry.objects.get(action="prefecture.move")
    assert entry.before["block"] == 3 and entry.after["block"] == 4
    page = client.get(reverse("organisation:prefecture_move", args=["11"])).content.decode()
    assert move_day.isoformat() in page and "Block 4" in page and "Block 3" in page
    # The block 3 representative manages Saitama until the move, not after it.
    assert "11" in powers_of(block_rep.user).managed_prefectures
    forget_powers(block_rep.user)
    assert "11" not in powers_of(block_rep.user, move_day).managed_prefectures


def test_move_without_a_day_or_to_the_same_block_changes_nothing(client, executive):
    client.force_login(executive.user)
    url = reverse("organisation:prefecture_move", args=["11"])
    before = BlockAssignment.objects.count()
    response = client.post(url, once_sent({"block": 4, "valid_from": ""}))
    assert "Choose the day from which the move holds." in response.content.decode()
    response = client.post(url, once_sent({"block": 3, "valid_from": str(timezone.localdate())}))
    assert "already in Block 3 on that day" in response.content.decode()
    assert BlockAssignment.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_block_representative_cannot_move_prefectures(client, block_rep):
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:prefecture_move", args=["11"]),
                           once_sent({"block": 4, "valid_from": str(timezone.localdate())}))
    assert response.status_code == 403
    assert block_of_prefecture("11") == 3
