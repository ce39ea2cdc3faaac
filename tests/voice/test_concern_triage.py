"""Concerns: the three visibilities, routing from every prefecture, the receipt code of anonymous concerns,
the representatives' triage, and "this affects me too" on public concerns."""

import hashlib

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.people.models import Member
from ajet.voice import services
from ajet.voice.models import Concern, ConcernReply, ConcernSupport
from ajet.voice.services import ConcernError
from tests.factories import MemberFactory, block_post, give_mfa, give_term

pytestmark = pytest.mark.django_db

# The blocks as AJET draws them (domain/blocks.csv), written out here so that the test does not trust the
# data migration it checks.
BLOCKS = {
    1: "01 02 03 05", 2: "04 06 07 15", 3: "08 09 10 11 20", 4: "12 13 14 19 22", 5: "16 17 18 21 23",
    6: "25 26 28", 7: "24 27 29 30", 8: "36 37 38 39", 9: "31 32 33 34 35", 10: "40 41 42 44", 11: "43 45 46 47",
}


def _raise(member, *, level="block", visibility="named", title="Unpaid overtime", category="contracts"):
    return services.raise_concern(member=member, title=title, text="Asked to stay late without pay.",
                                  category=category, level=level, visibility=visibility)


def _representative(block: int) -> Member:
    rep = MemberFactory(full_name=f"Rep {block}", prefecture_id=BLOCKS[block].split()[0])
    give_term(rep, block_post(block))
    give_mfa(rep.user)
    return rep


def test_a_concern_from_every_prefecture_reaches_its_block_representative_and_no_other(cir_rep):
    representatives = {block: _representative(block) for block in BLOCKS}
    assert sum(len(codes.split()) for codes in BLOCKS.values()) == 47
    for block, codes in BLOCKS.items():
        for code in codes.split():
            for position in ("ALT", "CIR"):
                raiser = MemberFactory(prefecture_id=code, position=position)
                concern = _raise(raiser, visibility="anonymous", title=f"{code} {position}")
                assert concern.block_id == block, code
                readers = {number for number, rep in representatives.items()
                           if rep.user.has_perm("voice.view_concern", concern)}
                assert readers == {block}, (code, readers)
                # A CIR's concern also reaches the CIR Representative; an ALT's does not.
                assert cir_rep.user.has_perm("voice.triage_concern", concern) == (position == "CIR"), code


def test_a_private_concern_stays_with_the_block_representative(client, block_rep, other_block_rep, cir_rep,
                                                              executive, member):
    cir = MemberFactory(position="CIR")
    concern = _raise(cir, visibility="private")
    for outsider in (other_block_rep, cir_rep, executive, member):
        client.force_login(outsider.user)
        assert client.get(concern.get_absolute_url()).status_code == 404, outsider
    client.force_login(block_rep.user)
    assert "Raised by" in client.get(concern.get_absolute_url()).content.decode()
    with pytest.raises(ConcernError, match="cannot be escalated"):
        services.escalate_concern(by=block_rep.user, concern=concern)
    with pytest.raises(ConcernError, match="stay with your block"):
        _raise(cir, level="national", visibility="private")
    with pytest.raises(IntegrityError), connection.cursor():
        Concern.objects.filter(pk=concern.pk).update(escalated_at=timezone.now())


def test_a_named_concern_is_public_and_members_support_it_once(client, member, block_rep, executive):
    concern = _raise(member, title="Mould in the flat", category="housing")
    neighbour = MemberFactory(full_name="Nick Neighbour")
    client.force_login(neighbour.user)
    assert "Mould in the flat" in client.get(reverse("voice:concerns")).content.decode()
    page = client.get(concern.get_absolute_url()).content.decode()
    assert "Alice Member" in page and "This affects me too" in page and "Black" not in page
    assert client.post(reverse("voice:concern_support", args=[concern.pk])).status_code == 302
    assert client.post(reverse("voice:concern_support", args=[concern.pk])).status_code == 400
    with pytest.raises(ConcernError, match="already"):
        services.support_concern(member=neighbour, concern=concern)
    with pytest.raises(IntegrityError):
        ConcernSupport.objects.create(concern=concern, member=neighbour)


def test_support_is_refused_where_it_is_not_public(member, block_rep):
    anonymous = _raise(member, visibility="anonymous")
    private = _raise(member, visibility="private")
    other = MemberFactory()
    for concern in (anonymous, private):
        with pytest.raises(ConcernError, match="name can be supported"):
            services.support_concern(member=other, concern=concern)
        assert not other.user.has_perm("voice.support_concern", concern)
    with pytest.raises(ConcernError, match="own concern"):
        services.support_concern(member=member, concern=_raise(member))
    assert not ConcernSupport.objects.exists()


def test_an_anonymous_concern_keeps_no_link_to_its_member_and_only_the_hash_of_its_receipt(member):
    concern = _raise(member, visibility="anonymous")
    code = concern.receipt_code
    assert len(code.replace("-", "")) == services.RECEIPT_LENGTH
    stored = Concern.objects.get(pk=concern.pk)
    assert stored.member_id is None
    assert stored.receipt_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    local = timezone.localtime(stored.created_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)  # the day only: no sign-in time to match
    # Nothing in any column of the row holds the member's id, e-mail, name or the code itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM voice_concern WHERE id = %s", [stored.pk])
        row = [str(value) for value in cursor.fetchone()]
    for secret in (member.user.email, member.full_name, code, code.replace("-", "")):
        assert not any(secret in value for value in row), secret
    assert not Concern.objects.filter(member=member).exists()
    assert services.concern_by_receipt(code.lower().replace("-", " ")) == stored
    assert services.concern_by_receipt("AAAAA-AAAAA-AAAAA-AAAAA") is None


def test_the_member_follows_and_answers_with_the_receipt_code_without_signing_in(client, member, block_rep):
    concern = _raise(member, visibility="anonymous", title="Harassment")
    client.force_login(block_rep.user)
    client.post(reverse("voice:concern_update", args=[concern.pk]),
                {"status": "needs_info", "note": "Which school is it?"})
    assert len(mail.outbox) == 0  # nobody to write to: the member reads the question with the code
    visitor = Client()
    page = visitor.post(reverse("voice:concern_receipt"), {"code": concern.receipt_code}).content.decode()
    assert "Harassment" in page and "Which school is it?" in page
    response = visitor.post(reverse("voice:concern_receipt_reply"),
                            {"code": concern.receipt_code, "text": "The junior high school."})
    assert response.status_code == 200 and "without your name" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert [reply.text for reply in ConcernReply.objects.all()] == ["The junior high school."]
    assert "The junior high school." in client.get(concern.get_absolute_url()).content.decode()
    wrong = visitor.post(reverse("voice:concern_receipt_reply"), {"code": "WRONG", "text": "Hi"})
    assert wrong.status_code == 400 and "No concern has this receipt code" in wrong.content.decode()
    assert ConcernReply.objects.count() == 1


def test_raising_anonymously_shows_the_code_once(client, member):
    client.force_login(member.user)
    from ajet.core.once import issue

    response = client.post(reverse("voice:concern_create"), {
        "title": "Harassment", "text": "By a colleague.", "category": "discrimination", "level": "block",
        "visibility": "anonymous", "once_token": issue()}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("voice:concern_receipt")
    concern = Concern.objects.get()
    code = page.split("Your receipt code is ")[1].split(" ")[0]
    assert concern.receipt_hash == services.receipt_hash(code)
    assert code not in client.get(reverse("voice:concern_receipt")).content.decode()  # shown once


def test_asking_for_information_e_mails_a_named_member_who_answers_on_the_page(
        client, member, block_rep, django_capture_on_commit_callbacks):
    concern = _raise(member, visibility="private")
    client.force_login(block_rep.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voice:concern_update", args=[concern.pk]),
                               {"status": "needs_info", "note": "Since when?"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert concern.get_absolute_url() in mail.outbox[0].body and "Since when?" not in mail.outbox[0].body
    client.force_login(member.user)
    assert "Since when?" in client.get(concern.get_absolute_url()).content.decode()
    assert client.post(reverse("voice:concern_reply", args=[concern.pk]), {"text": "Since April."}).status_code == 302
    assert client.post(reverse("voice:concern_reply", args=[concern.pk]), {"text": "  "}).status_code == 400
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS and concern.replies.count() == 1
    assert AuditEntry.objects.filter(action="concern.update", target_id=str(concern.pk)).exists()
    with pytest.raises(ConcernError, match="Write the question"):
        services.ask_for_information(by=block_rep.user, concern=concern, question=" ")


def test_acknowledge_tag_merge_and_escalate_are_audit_logged(client, member, block_rep, other_block_rep, executive):
    first = _raise(member, title="Mould in the flat")
    duplicate = _raise(MemberFactory(), title="Mould again", visibility="anonymous")
    aichi = _raise(MemberFactory(prefecture_id="23"), title="Aichi")
    supporter = MemberFactory()
    services.support_concern(member=supporter, concern=first)
    client.force_login(block_rep.user)
    assert client.post(reverse("voice:concern_update", args=[first.pk]), {"status": "acknowledged"}).status_code == 302
    first.refresh_from_db()
    with pytest.raises(ConcernError, match="acknowledged already"):
        services.acknowledge_concern(by=block_rep.user, concern=first)
    tagged = client.post(reverse("voice:concern_tag", args=[first.pk]), {"tags": "Mould, housing, mould"})
    assert tagged.status_code == 302
    refused = client.post(reverse("voice:concern_tag", args=[first.pk]), {"tags": "x" * 31})
    assert refused.status_code == 400 and "at most" in refused.content.decode()
    # Not into a concern of another block (not one of Bob's), nor into itself.
    assert client.post(reverse("voice:concern_merge", args=[first.pk]), {"into": aichi.pk}).status_code == 400
    assert client.post(reverse("voice:concern_merge", args=[first.pk]), {"into": first.pk}).status_code == 400
    assert client.post(reverse("voice:concern_merge", args=[first.pk]), {"into": duplicate.pk}).status_code == 302
    first.refresh_from_db()
    assert first.tags == ["mould", "housing"] and first.merged_into == duplicate and first.status == "merged"
    assert list(duplicate.supports.values_list("member", flat=True)) == [supporter.pk]
    assert not first.supports.exists()
    client.force_login(executive.user)
    assert client.get(duplicate.get_absolute_url()).status_code == 404
    client.force_login(block_rep.user)
    assert client.post(reverse("voice:concern_escalate", args=[duplicate.pk])).status_code == 302
    assert client.post(reverse("voice:concern_escalate", args=[duplicate.pk])).status_code == 400
    client.force_login(executive.user)
    assert client.get(duplicate.get_absolute_url()).status_code == 200  # now on the national agenda
    client.force_login(other_block_rep.user)
    assert client.get(duplicate.get_absolute_url()).status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"concern.update", "concern.tag", "concern.merge", "concern.escalate"} <= actions


def test_the_officer_list_does_not_grow_queries_with_concerns(client, block_rep):
    def count(number):
        for index in range(number):
            _raise(MemberFactory(), title=f"Concern {index}", visibility="anonymous")
        client.force_login(block_rep.user)
        from django.db import connection as db
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(db) as captured:
            assert client.get(reverse("voice:concerns")).status_code == 200
        Concern.objects.all().delete()
        return len(captured)

    assert count(1) == count(3)



def test_export_and_erasure_cover_named_concerns_and_supports_never_anonymous_ones(member):
    from ajet.core.personal_data import erase_personal_data, export_personal_data

    named = _raise(member, title="Named matter", visibility="private")
    services.reply_to_concern(concern=named, text="More detail.")
    _raise(member, title="Secret matter", visibility="anonymous")
    services.support_concern(member=member, concern=_raise(MemberFactory(), title="Shared matter"))
    exported = str(export_personal_data(member.user)["voice"])
    assert "Named matter" in exported and "More detail." in exported and "Shared matter" in exported
    assert "Secret matter" not in exported
    erase_personal_data(member.user)
    assert set(Concern.objects.values_list("title", flat=True)) == {"Secret matter", "Shared matter"}
    assert not ConcernSupport.objects.exists()


def test_officers_filter_their_concerns_by_tag(client, block_rep):
    tagged = _raise(MemberFactory(), title="Overtime again", visibility="anonymous")
    _raise(MemberFactory(), title="Mould", visibility="anonymous")
    services.tag_concern(by=block_rep.user, concern=tagged, tags=["overtime"])
    client.force_login(block_rep.user)
    page = client.get(reverse("voice:concerns") + "?tag=overtime").content.decode()
    assert "Overtime again" in page and "Mould" not in page
    assert "Mould" in client.get(reverse("voice:concerns")).content.decode()
