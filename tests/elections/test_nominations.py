"""Nominations: eligible members stand with a platform (word limit per post) and an optional photo; the
election committee approves or rejects with a reason (the nominee is e-mailed); candidates withdraw until
voting opens; pages of nominations not on the ballot are for the nominee and the committee only."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ajet.core.audit import AuditEntry
from ajet.elections import services
from ajet.elections.models import Candidate, Election
from tests.elections.election_factories import contest_of, make_election
from tests.factories import block_post, national_post, once_sent

pytestmark = pytest.mark.django_db
Phase = Election.Phase
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def election(executive, block_rep):
    """Nominations open for Chair (all members) and Block 3 Representative; Bob (block 3) is the committee."""
    return make_election(executive, phase=Phase.NOMINATIONS_OPEN, posts=[national_post("chair"), block_post(3)],
                         committee=[block_rep])


def _nominate(client, election, contest, **extra):
    data = once_sent({"contest": contest.pk, "platform_en": "Fair and open.", "platform_ja": ""} | extra)
    return client.post(reverse("elections:nominate", args=[election.slug]), data)


def test_a_member_stands_with_a_platform_and_photo_and_the_committee_approves(
        client, election, member, block_rep, django_capture_on_commit_callbacks):
    chair = contest_of(election, "chair")
    client.force_login(member.user)
    photo = SimpleUploadedFile("me.png", PNG, content_type="image/png")
    response = _nominate(client, election, chair, platform_ja="公正に。", photo=photo)
    candidate = Candidate.objects.get(member=member)
    assert response.status_code == 302 and candidate.status == Candidate.Status.NOMINATED
    assert candidate.platform_ja == "公正に。"
    assert candidate.photo.name.startswith("candidates/") and "me" not in candidate.photo.name
    # Not on the ballot yet.
    assert not contest_of(election, "chair").candidates.filter(services.on_ballot_filter(), member=member).exists()
    photo_url = reverse("elections:photo", args=[election.slug, candidate.pk])
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG

    client.force_login(block_rep.user)
    assert "Alice Member" in client.get(reverse("elections:nominations", args=[election.slug])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("elections:review", args=[election.slug, candidate.pk]), {"decision": "approve"})
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.APPROVED and candidate.on_ballot
    assert AuditEntry.objects.filter(action="candidate.review", actor=block_rep.user).exists()
    assert [message.to for message in mail.outbox] == [[member.user.email]]
    assert "accepted" in mail.outbox[0].subject


def test_a_rejection_needs_a_reason_and_tells_the_nominee(client, election, member, block_rep,
                                                          django_capture_on_commit_callbacks):
    candidate = services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Hello.")
    client.force_login(block_rep.user)
    url = reverse("elections:review", args=[election.slug, candidate.pk])
    client.post(url, {"decision": "reject", "reason": " "})
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.NOMINATED and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "Not a member of the electorate's block."})
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED
    assert "Not a member of the electorate's block." in mail.outbox[0].body
    # Reviewed once only.
    client.post(url, {"decision": "approve"})
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED


def test_only_the_committee_reviews(client, election, member, executive):
    candidate = services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Hello.")
    client.force_login(executive.user)
    assert client.post(reverse("elections:review", args=[election.slug, candidate.pk]),
                       {"decision": "approve"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.NOMINATED


def test_word_limit_is_per_post(client, election, member):
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    assert (chair.word_limit, block.word_limit) == (400, 250)
    client.force_login(member.user)
    response = _nominate(client, election, block, platform_en="word " * 251)
    assert response.status_code == 200 and "250 words" in response.content.decode()
    assert _nominate(client, election, chair, platform_en="word " * 400).status_code == 302
    assert list(Candidate.objects.filter(member=member).values_list("contest", flat=True)) == [chair.pk]


@pytest.mark.parametrize(("name", "content"), [("me.png", JPEG), ("me.gif", b"GIF89a" + b"\x00" * 20),
                                               ("page.jpg", b"<html><script>alert(1)</script>")])
def test_a_photo_that_is_not_what_it_says_is_refused(client, election, member, name, content):
    client.force_login(member.user)
    response = _nominate(client, election, contest_of(election, "chair"),
                         photo=SimpleUploadedFile(name, content, content_type="image/png"))
    assert response.status_code == 200 and "JPEG or PNG" in response.content.decode()
    assert not Candidate.objects.filter(member=member).exists()


def test_who_may_stand(election, member, block_rep, other_block_rep, pending):
    block = contest_of(election, "block-3-representative")
    with pytest.raises(services.ElectionError):  # block 5 cannot stand for block 3
        services.nominate(member=other_block_rep, contest=block, platform_en="Hi.")
    with pytest.raises(services.ElectionError):  # the committee cannot stand
        services.nominate(member=block_rep, contest=contest_of(election, "chair"), platform_en="Hi.")
    with pytest.raises(services.ElectionError):
        services.nominate(member=pending, contest=block, platform_en="Hi.")
    services.nominate(member=member, contest=block, platform_en="Hi.")
    with pytest.raises(services.ElectionError):  # once per contest
        services.nominate(member=member, contest=block, platform_en="Again.")
    assert Candidate.objects.filter(member__isnull=False).count() == 1


def test_the_nomination_form_offers_only_contests_the_member_may_stand_in(client, election, other_block_rep):
    client.force_login(other_block_rep.user)
    page = client.get(reverse("elections:nominate", args=[election.slug])).content.decode()
    assert "Chair" in page and "Block 3 Representative" not in page
    response = _nominate(client, election, contest_of(election, "block-3-representative"))
    assert response.status_code == 200 and not Candidate.objects.filter(member=other_block_rep).exists()


def test_nominations_only_while_open(executive, member):
    election = make_election(executive, phase=Phase.NOMINATIONS_CLOSED, posts=[national_post("chair")])
    with pytest.raises(services.ElectionError):
        services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Late.")


def test_a_candidate_withdraws_until_voting_opens(client, election, member, executive):
    candidate = services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Hi.")
    client.force_login(executive.user)  # someone else cannot withdraw them
    assert client.post(reverse("elections:withdraw", args=[election.slug, candidate.pk])).status_code == 403
    client.force_login(member.user)
    client.post(reverse("elections:withdraw", args=[election.slug, candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.WITHDRAWN


def test_no_withdrawal_once_voting_is_open(executive, member):
    make_election(executive, phase=Phase.VOTING_OPEN, posts=[national_post("chair")],
                  candidates={"chair": [member]})
    candidate = Candidate.objects.get(member=member)
    with pytest.raises(services.ElectionError):
        services.withdraw(by=member.user, candidate=candidate)
    assert Candidate.objects.get(member=member).status == Candidate.Status.APPROVED


def test_a_pending_nomination_is_seen_only_by_the_nominee_the_committee_and_executives(
        client, election, member, block_rep, executive, other_block_rep):
    candidate = services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Hi.",
                                  photo=SimpleUploadedFile("a.jpg", JPEG))
    for viewer, status in [(member, 200), (block_rep, 200), (executive, 200), (other_block_rep, 404)]:
        client.force_login(viewer.user)
        for name in ("elections:candidate", "elections:photo"):
            assert client.get(reverse(name, args=[election.slug, candidate.pk])).status_code == status, (viewer, name)
    services.review_nomination(by=block_rep.user, candidate=candidate, approve=True)
    client.force_login(other_block_rep.user)
    assert client.get(reverse("elections:candidate", args=[election.slug, candidate.pk])).status_code == 200


def test_an_uncontested_post_still_goes_to_the_vote_against_ron(client, election, member, block_rep):
    chair = contest_of(election, "chair")
    candidate = services.nominate(member=member, contest=chair, platform_en="Hi.")
    services.review_nomination(by=block_rep.user, candidate=candidate, approve=True)
    names = [c.name for c in chair.candidates.filter(services.on_ballot_filter())]
    assert names == ["Alice Member", services.REOPEN_NOMINATIONS]


def test_the_photo_is_stored_under_a_random_name(election, member):
    candidate = services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Hi.",
                                  photo=SimpleUploadedFile("../../etc/passwd.png", PNG))
    assert candidate.photo.name.startswith("candidates/") and candidate.photo.name.endswith(".png")
    assert "passwd" not in candidate.photo.name
    assert io.BytesIO(candidate.photo.read()).getvalue() == PNG


def test_a_member_sees_the_stand_button_while_nominations_are_open(client, election, member):
    client.force_login(member.user)
    page = client.get(election.get_absolute_url()).content.decode()
    assert reverse("elections:nominate", args=[election.slug]) in page


def test_a_jpeg_photo_keeps_its_type(client, election, member):
    candidate = services.nominate(member=member, contest=contest_of(election, "chair"), platform_en="Hi.",
                                  photo=SimpleUploadedFile("Me.JPEG", JPEG))
    assert candidate.photo.name.endswith(".jpg")
    client.force_login(member.user)
    response = client.get(reverse("elections:photo", args=[election.slug, candidate.pk]))
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
