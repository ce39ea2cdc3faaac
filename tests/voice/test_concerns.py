"""Concerns reach the officers of their level and no others; the member follows the status they set."""

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.core.personal_data import erase_personal_data, export_personal_data
from ajet.voice import services
from ajet.voice.models import Concern, ConcernUpdate
from ajet.voice.services import ConcernError
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _raise(member, level="block", visibility="private", title="Unpaid overtime"):
    return services.raise_concern(member=member, title=title, text="Asked to stay late without pay.",
                                  category=Concern.Category.CONTRACTS, level=level, visibility=visibility)


def _sees(client, person, concern) -> int:
    client.force_login(person.user)
    return client.get(reverse("voice:concern", args=[concern.pk])).status_code


def test_a_block_concern_reaches_its_block_representative_only(client, member, block_rep, other_block_rep,
                                                               executive, cir_rep):
    concern = _raise(member)
    assert concern.block_id == 3
    assert _sees(client, block_rep, concern) == 200
    assert _sees(client, member, concern) == 200
    for outsider in (other_block_rep, executive, cir_rep, MemberFactory()):
        assert _sees(client, outsider, concern) == 404, outsider
    aichi = _raise(MemberFactory(prefecture_id="23"), title="Aichi housing")
    assert aichi.block_id == 5 and _sees(client, other_block_rep, aichi) == 200
    assert _sees(client, block_rep, aichi) == 404
    client.force_login(block_rep.user)
    listed = client.get(reverse("voice:concerns")).content.decode()
    assert "Unpaid overtime" in listed and "Aichi housing" not in listed


def test_cir_and_national_concerns_reach_the_cir_representative_and_the_executives(client, cir_rep, executive,
                                                                                  block_rep):
    cir = MemberFactory(position="CIR")
    cir_concern = _raise(cir, level="cir", visibility="anonymous")
    national = _raise(cir, level="national", visibility="anonymous")
    assert _sees(client, cir_rep, cir_concern) == 200 and _sees(client, executive, cir_concern) == 404
    assert _sees(client, executive, national) == 200 and _sees(client, cir_rep, national) == 404
    assert _sees(client, block_rep, cir_concern) == 404 and _sees(client, block_rep, national) == 404


def test_an_anonymous_concern_hides_the_name_from_officers(client, member, block_rep):
    concern = _raise(member, visibility="anonymous")
    client.force_login(block_rep.user)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert "Alice Member" not in page and "Raised anonymously" in page
    # Nothing ties it to Alice: she follows it with the receipt code, not from her account.
    assert concern.member_id is None
    client.force_login(member.user)
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_the_officer_updates_the_status_and_the_member_sees_it(client, member, block_rep):
    concern = _raise(member)
    client.force_login(block_rep.user)
    response = client.post(reverse("voice:concern_update", args=[concern.pk]),
                           {"status": "raised", "note": "Raised with the prefecture's adviser."})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="concern.update", target_id=str(concern.pk)).exists()
    client.force_login(member.user)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert "Raised at a meeting" in page and "Raised with the prefecture" in page


def test_bad_input_changes_nothing(client, member, block_rep, pending):
    concern = _raise(member)
    client.force_login(block_rep.user)
    response = client.post(reverse("voice:concern_update", args=[concern.pk]), {"status": "lost"})
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.status == "new" and not ConcernUpdate.objects.exists()
    with pytest.raises(ConcernError, match="current members"):
        _raise(pending)
    with pytest.raises(ConcernError, match="raised by CIRs"):
        _raise(member, level="cir")
    assert Concern.objects.count() == 1


def test_concerns_are_exported_and_erased_with_the_member(member):
    _raise(member)
    assert "Unpaid overtime" in str(export_personal_data(member.user)["voice"]["concerns"])
    erase_personal_data(member.user)
    assert not Concern.objects.exists()
