"""`seed_demo` builds a deterministic, realistic world; `demo_totp` gives demo officers their code.

The default world is built once for the module, inside a transaction rolled back at the end; every test
runs in a savepoint within it, so a test that wipes and re-seeds leaves the shared world intact.
"""

import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from ajet.organisation.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, council_year_start, plan_people
from ajet.organisation.management.commands.demo_totp import current_demo_code
from ajet.organisation.models import Chapter, Post, Term
from ajet.organisation.powers import powers_of
from ajet.organisation.queries import get_council
from ajet.people.models import Member, User
from tests.factories import MemberFactory

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The demo fills the PSG's own database too: asking for it here has it set up when this file runs alone.
pytestmark = pytest.mark.django_db(databases=["default", "support"])


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    # Both databases: the demo also fills the PSG's own (contact logs), which must not outlive this module.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic(), \
            transaction.atomic(using="support"):
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True, using="support")
        transaction.set_rollback(True)


@pytest.fixture
def world(demo_world, db):
    return demo_world


def _account(role: str) -> Member:
    email = next(account.email for account in DEMO_ACCOUNTS if account.role == role)
    return Member.objects.select_related("user").get(user__email=email)


def _snapshot():
    return {
        "members": list(Member.objects.order_by("user__email").values_list(
            "user__email", "full_name", "prefecture_id", "position", "status", "contracting_organisation")),
        "chapters": list(Chapter.objects.order_by("slug").values_list("slug", "name")),
        "terms": list(Term.objects.order_by("post__chapter__slug", "post__slug", "start").values_list(
            "post__chapter__slug", "post__slug", "member__user__email", "start")),
    }


def test_the_world_is_big_and_varied(world):
    members = Member.objects.all()
    assert members.count() >= 300
    assert members.values("prefecture").distinct().count() == 47
    positions = {position: members.filter(position=position).count() for position in ("ALT", "CIR", "SEA")}
    assert positions["ALT"] > positions["CIR"] > positions["SEA"] > 0
    assert 20 <= positions["CIR"] <= 60
    statuses = {status: members.filter(status=status).count() for status in ("pending", "current", "alumni")}
    assert 10 <= statuses["pending"] <= 25 and statuses["alumni"] > 0 and statuses["current"] > 200
    assert members.values("full_name").distinct().count() > 250  # names vary
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()


def test_chapters_by_prefecture_city_and_region(world):
    assert Chapter.objects.count() >= 20
    kinds = set(Chapter.objects.values_list("kind", flat=True))
    assert kinds == {"prefecture", "city", "region"}
    regional = Chapter.objects.get(kind="region")
    assert regional.prefectures.count() >= 2
    assert Term.objects.filter(post__chapter__isnull=False, post__slug="president").count() >= 20
    assert Chapter.objects.filter(memberships__left_at__isnull=True).distinct().count() >= 20


def test_this_years_council_is_full_and_last_years_is_kept(world):
    council = get_council()
    assert len(council) >= 16
    assert all(seat["terms"] for seat in council), [seat["post"].slug for seat in council if not seat["terms"]]
    assert all(term.bio for seat in council for term in seat["terms"])
    year_start = council_year_start(council[0]["terms"][0].start)
    for seat in council:
        assert seat["terms"][0].start == year_start
    last_year = Term.objects.filter(post__chapter=None, end=year_start - datetime.timedelta(days=1))
    assert set(last_year.values_list("post_id", flat=True)) == {seat["post"].pk for seat in council}
    assert not set(last_year.values_list("member", flat=True)) & {t.member_id for s in council for t in s["terms"]}


def test_demo_officers_have_their_powers(world):
    chapter_officer = powers_of(_account("chapter officer").user)
    assert chapter_officer.is_officer and chapter_officer.officer_chapters
    assert Chapter.objects.get(pk=next(iter(chapter_officer.officer_chapters))).slug == "saitama"
    block_rep = powers_of(_account("block representative").user)
    assert block_rep.is_officer and block_rep.represented_blocks == {3}
    executive = powers_of(_account("executive").user)
    assert executive.is_officer and executive.is_executive
    cir_rep = powers_of(_account("CIR representative").user)
    assert cir_rep.is_officer and cir_rep.constituency_positions == {"CIR"}
    assert not powers_of(_account("member").user).holds_office
    pending = _account("pending member")
    assert pending.is_pending
    for role in ("chapter officer", "block representative", "executive"):
        assert _account(role).user.has_perm("people.confirm_member", pending), role


def test_output_lists_one_account_per_role_with_the_password(world):
    for account in DEMO_ACCOUNTS:
        assert account.email in world
    assert DEMO_PASSWORD in world and "demo_totp" in world and DEMO_TOTP_SECRET in world


def test_if_empty_changes_nothing_but_prints_the_accounts(world):
    before = _snapshot()
    output = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=output)
    assert _snapshot() == before
    assert "member@demo.ajet.example" in output.getvalue()


def test_without_if_empty_a_filled_database_is_refused(world):
    before = Member.objects.count()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert Member.objects.count() == before


def test_the_same_seed_gives_the_same_people(world):
    before = _snapshot()
    Term.objects.all().delete()
    Chapter.objects.all().delete()
    User.objects.all().delete()
    assert not Post.objects.filter(chapter__isnull=False).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == before


def test_another_seed_gives_other_people(world):
    today = datetime.date(2026, 5, 1)
    first = [person.full_name for person in plan_people(members=100, seed=1, today=today)]
    assert first == [person.full_name for person in plan_people(members=100, seed=1, today=today)]
    assert first != [person.full_name for person in plan_people(members=100, seed=2, today=today)]


def test_a_demo_officer_signs_in_with_password_and_demo_code(world, client):
    email = next(account.email for account in DEMO_ACCOUNTS if account.role == "block representative")
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    output = io.StringIO()
    call_command("demo_totp", email, stdout=output)
    code = output.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code) and code == current_demo_code()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("people:pending")).status_code == 200


def test_demo_totp_refuses_other_accounts_and_production(world, settings):
    someone = MemberFactory(user__email="someone@example.org")
    TOTP.activate(someone.user, DEMO_TOTP_SECRET)
    with pytest.raises(CommandError):
        call_command("demo_totp", "member@demo.ajet.example", stdout=io.StringIO())  # no authenticator
    with pytest.raises(CommandError):
        call_command("demo_totp", someone.user.email, stdout=io.StringIO())  # not a demo account
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_totp", "block-rep@demo.ajet.example", stdout=io.StringIO())


def test_seeded_posts_carry_realistic_start_dates(world):
    today = timezone.localdate()
    placeholder = Post._meta.get_field("valid_from").default
    first_days = list(Post.objects.values_list("valid_from", flat=True))
    assert placeholder not in first_days
    assert all(today.year - 13 <= day.year <= today.year for day in first_days)
    assert all(day.day == 1 and day.month == settings.AJET_COUNCIL_YEAR_START_MONTH for day in first_days)
