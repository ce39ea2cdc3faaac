"""Council structure: the council year, posts, terms and the public history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.organisation import services
from ajet.organisation.models import Post, Term
from tests.factories import MemberFactory, give_term, national_post, once_sent

pytestmark = pytest.mark.django_db


def test_council_year_follows_the_start_month_setting(settings):
    settings.AJET_COUNCIL_YEAR_START_MONTH = 4
    assert services.council_year_of(datetime.date(2025, 3, 31)) == 2024
    assert services.council_year_of(datetime.date(2025, 4, 1)) == 2025
    assert services.council_year_bounds(2025) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    settings.AJET_COUNCIL_YEAR_START_MONTH = 6
    assert services.council_year_bounds(2025) == (datetime.date(2025, 6, 1), datetime.date(2026, 5, 31))


def test_default_term_end_is_the_end_of_the_council_year_it_starts_in(settings):
    settings.AJET_COUNCIL_YEAR_START_MONTH = 4
    assert services.default_term_end(datetime.date(2025, 4, 1)) == datetime.date(2026, 3, 31)
    assert services.default_term_end(datetime.date(2025, 10, 15)) == datetime.date(2026, 3, 31)  # mid-year
    assert services.default_term_end(datetime.date(2026, 3, 31)) == datetime.date(2026, 3, 31)  # its last day
    assert services.default_term_end(datetime.date(2024, 2, 29)) == datetime.date(2024, 3, 31)
    settings.AJET_COUNCIL_YEAR_START_MONTH = 9
    assert services.default_term_end(datetime.date(2025, 10, 15)) == datetime.date(2026, 8, 31)
    assert services.default_term_end(datetime.date(2025, 8, 31)) == datetime.date(2025, 8, 31)


def test_executive_creates_a_post(client, executive):
    client.force_login(executive.user)
    response = client.post(reverse("organisation:post_create"), once_sent({
        "name_en": "Secretary", "name_ja": "書記", "slug": "secretary", "kind": "executive", "scope": "national",
        "order": 2, "valid_from": "2026-04-01",
    }))
    assert response.status_code == 302
    post = Post.objects.get(slug="secretary")
    assert post.valid_from == datetime.date(2026, 4, 1) and post.block is None
    assert AuditEntry.objects.get(action="post.create").after["name_en"] == "Secretary"


def test_duplicate_slug_and_block_post_without_block_change_nothing(client, executive):
    client.force_login(executive.user)
    url = reverse("organisation:post_create")
    data = {"name_en": "Another Chair", "slug": "chair", "kind": "executive", "scope": "national", "order": 1,
            "valid_from": "2026-04-01"}
    response = client.post(url, once_sent(data))
    assert response.status_code == 200 and "already uses this short name" in response.content.decode()
    response = client.post(url, once_sent(data | {"slug": "block-rep-x", "scope": "block", "block": ""}))
    assert "Choose the block of a block post." in response.content.decode()
    assert Post.objects.filter(name_en="Another Chair").count() == 0
    assert not AuditEntry.objects.exists()


def test_non_executives_cannot_create_posts(client, block_rep):
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:post_create"), once_sent({
        "name_en": "Secretary", "slug": "secretary", "kind": "executive", "scope": "national", "order": 2,
        "valid_from": "2026-04-01"}))
    assert response.status_code == 403
    assert not Post.objects.filter(slug="secretary").exists()


def test_appoint_with_default_end_and_audit(client, executive):
    newcomer = MemberFactory(full_name="Nadia Newcomer", user__email="nadia@example.org")
    client.force_login(executive.user)
    post = national_post("treasurer")
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": "nadia@example.org", "start": "2026-04-01", "end": ""}))
    assert response.status_code == 302
    term = Term.objects.get(post=post, member=newcomer)
    assert (term.start, term.end) == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    assert term.holder_name == "Nadia Newcomer"
    assert AuditEntry.objects.get(action="term.create").after["holder"] == "Nadia Newcomer"


def test_member_chooser_searches_by_name_and_asks_when_ambiguous(client, executive):
    MemberFactory(full_name="Sam Smith", user__email="sam1@example.org")
    MemberFactory(full_name="Sam Smithers", user__email="sam2@example.org")
    client.force_login(executive.user)
    url = reverse("organisation:term_create", args=[national_post("treasurer").pk])
    response = client.post(url, once_sent({"member": "Sam", "start": "2026-04-01"}))
    assert "Several members match" in response.content.decode()
    assert client.post(url, once_sent({"member": "smithers", "start": "2026-04-01"})).status_code == 302
    assert Term.objects.get(post__slug="treasurer").holder == "Sam Smithers"


def test_term_ending_before_it_starts_changes_nothing(client, executive, member):
    client.force_login(executive.user)
    response = client.post(reverse("organisation:term_create", args=[national_post("treasurer").pk]),
                           once_sent({"member": member.user.email, "start": "2026-04-01", "end": "2026-03-01"}))
    assert response.status_code == 200
    assert "A term cannot end before it starts." in response.content.decode()
    assert not Term.objects.filter(post__slug="treasurer").exists()
    assert not AuditEntry.objects.exists()


def test_end_a_term_early(client, executive, block_rep):
    term = block_rep.terms.get()
    client.force_login(executive.user)
    url = reverse("organisation:term_end", args=[term.pk])
    assert "cannot end before it starts" in client.post(
        url, once_sent({"end": str(term.start - datetime.timedelta(days=1))})).content.decode()
    today = timezone.localdate()
    assert client.post(url, once_sent({"end": str(today)})).status_code == 302
    term.refresh_from_db()
    assert term.end == today
    entry = AuditEntry.objects.get(action="term.end")
    assert entry.after["end"] == str(today) and entry.before["end"] != str(today)


def test_retire_vice_chair_and_replace_it_with_a_secretary(client, executive):
    today = timezone.localdate()
    vice = MemberFactory(full_name="Victor Vice")
    give_term(vice, national_post("vice-chair"), start=today - datetime.timedelta(days=400), days=200)
    current_vice = MemberFactory(full_name="Vera Vice")
    give_term(current_vice, national_post("vice-chair"))
    client.force_login(executive.user)
    vice_chair = national_post("vice-chair")
    response = client.post(reverse("organisation:post_retire", args=[vice_chair.pk]), {"last_day": str(today)})
    assert response.status_code == 302
    vice_chair.refresh_from_db()
    assert vice_chair.valid_until == today
    assert current_vice.terms.get().end == today  # clipped to the post's last day
    assert AuditEntry.objects.filter(action="post.retire").exists()

    secretary = services.create_post(by=executive.user, fields={
        "name_en": "Secretary", "slug": "secretary", "kind": "executive", "scope": "national", "order": 2,
        "valid_from": today + datetime.timedelta(days=1)})
    services.appoint(by=executive.user, post=secretary, member=MemberFactory(full_name="Sasha Secretary"),
                     start=today + datetime.timedelta(days=1))

    later = client.get(reverse("organisation:council")).content.decode()
    assert "Vera Vice" in later and "Vice-Chair" in later  # still today, its last day
    year = services.council_year_of(today - datetime.timedelta(days=400))
    past = client.get(reverse("organisation:council_year", args=[year])).content.decode()
    assert "Victor Vice" in past and "Vice-Chair" in past and "Secretary" not in past


def test_council_history_lists_years_and_holders(client):
    today = timezone.localdate()
    this_year = services.council_year_of(today)
    first_day, _last_day = services.council_year_bounds(this_year - 1)
    old_chair = MemberFactory(full_name="Olivia Oldchair")
    Term.objects.create(post=national_post("chair"), member=old_chair, start=first_day,
                        end=services.default_term_end(first_day))
    history = client.get(reverse("organisation:council_history")).content.decode()
    assert reverse("organisation:council_year", args=[this_year - 1]) in history
    assert reverse("organisation:council_year", args=[this_year]) not in history  # "Past councils": past only
    page = client.get(reverse("organisation:council_year", args=[this_year - 1])).content.decode()
    assert "Olivia Oldchair" in page
    assert "Olivia Oldchair" not in client.get(reverse("organisation:council_year", args=[this_year])).content.decode()


def test_closed_account_keeps_the_holder_name_in_history(client):
    first_day, _ = services.council_year_bounds(services.council_year_of(timezone.localdate()) - 1)
    chair = MemberFactory(full_name="Harriet Historic")
    term = Term.objects.create(post=national_post("chair"), member=chair, holder_name="Harriet Historic",
                               start=first_day, end=services.default_term_end(first_day))
    term.member = None
    term.save(update_fields=["member"])
    year = services.council_year_of(first_day)
    assert "Harriet Historic" in client.get(reverse("organisation:council_year", args=[year])).content.decode()


def test_posts_with_terms_keep_their_kind_and_scope(client, executive, block_rep):
    client.force_login(executive.user)
    post = block_rep.terms.get().post
    form = client.get(reverse("organisation:post_edit", args=[post.pk])).context["form"]
    assert "scope" not in form.fields and "block" not in form.fields
    with pytest.raises(services.OrganisationError):
        services.update_post(by=executive.user, post=post, changes={"kind": "appointed"})


def test_past_councils_is_empty_while_only_this_years_council_exists(client, executive):
    history = client.get(reverse("organisation:council_history"))
    assert history.context["years"] == []
    assert "No past council has been recorded yet." in history.content.decode()


def test_posts_sort_by_kind_then_block_number(client):
    names = [post.name_en for post in Post.objects.filter(chapter=None)]
    blocks = [name for name in names if name.startswith("Block ")]
    assert blocks == [f"Block {number} Representative" for number in range(1, 12)]
    assert names[:3] == ["Chair", "Vice-Chair", "Treasurer"]
    assert names.index("CIR Representative") < names.index("Block 1 Representative")
    assert names[-1] == "Peer Support Group Coordinator"  # appointed posts after elected ones
    page = client.get(reverse("organisation:council")).content.decode()
    positions = [page.index(f"Block {number} Representative") for number in (1, 2, 10, 11)]
    assert positions == sorted(positions)


def test_an_ended_term_offers_no_end_early(client, executive):
    today = timezone.localdate()
    old = MemberFactory(full_name="Otto Old")
    post = national_post("treasurer")
    ended = Term.objects.create(post=post, member=old, start=today - datetime.timedelta(days=400),
                                end=today - datetime.timedelta(days=40))
    running = Term.objects.create(post=post, member=MemberFactory(full_name="Rita Running"),
                                  start=today - datetime.timedelta(days=10), end=today + datetime.timedelta(days=10))
    client.force_login(executive.user)
    page = client.get(reverse("organisation:post_manage", args=[post.pk])).content.decode()
    assert reverse("organisation:term_end", args=[running.pk]) in page
    assert reverse("organisation:term_end", args=[ended.pk]) not in page
    response = client.get(reverse("organisation:term_end", args=[ended.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("organisation:post_manage", args=[post.pk])
    with pytest.raises(services.OrganisationError):
        services.end_term(by=executive.user, term=ended, end=ended.end - datetime.timedelta(days=1))
