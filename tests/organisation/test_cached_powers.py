"""Powers and the dashboard's 'where I belong' panel are cached in the shared cache under the
organisation's data version: every change to what they are derived from must show on the next request."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ajet.core.cache import version_of
from ajet.organisation import services
from ajet.organisation.models import Block, Prefecture
from ajet.organisation.powers import ORGANISATION_DATA, powers_of
from ajet.people.models import Member, User
from tests.factories import block_post, give_mfa

pytestmark = pytest.mark.django_db


def fresh_powers(user):
    """Powers as the next request sees them: a new user object, so only the shared cache can answer."""
    return powers_of(User.objects.get(pk=user.pk))


def test_powers_are_served_from_the_shared_cache(block_rep):
    assert fresh_powers(block_rep.user).represented_blocks == {3}
    with CaptureQueriesContext(connection) as queries:
        assert fresh_powers(block_rep.user).represented_blocks == {3}
    assert len(queries) == 1  # the user; no term query


def test_an_ended_term_takes_the_powers_away_at_once(executive, block_rep):
    assert fresh_powers(block_rep.user).is_officer
    term = block_rep.terms.get()
    services.end_term(by=executive.user, term=term, end=timezone.localdate() - datetime.timedelta(days=1))
    assert not fresh_powers(block_rep.user).holds_office


def test_a_new_appointment_gives_powers_at_once(executive, member):
    assert not fresh_powers(member.user).holds_office
    give_mfa(member.user)
    services.appoint(by=executive.user, post=block_post(5), member=member, start=timezone.localdate())
    assert fresh_powers(member.user).represented_blocks == {5}


def test_switching_mfa_off_takes_the_powers_away(block_rep):
    assert fresh_powers(block_rep.user).is_officer
    Authenticator.objects.filter(user=block_rep.user).delete()
    powers = fresh_powers(block_rep.user)
    assert powers.mfa_missing and not powers.is_officer


def test_a_block_move_changes_what_the_representative_manages(executive, block_rep):
    assert "15" not in fresh_powers(block_rep.user).managed_prefectures
    services.move_prefecture(by=executive.user, prefecture=Prefecture.objects.get(code="15"),
                             block=Block.objects.get(number=3), valid_from=timezone.localdate())
    assert "15" in fresh_powers(block_rep.user).managed_prefectures


def test_an_evicted_version_never_brings_back_old_answers(block_rep):
    assert fresh_powers(block_rep.user).is_officer
    Authenticator.objects.filter(user=block_rep.user).delete()
    cache.delete(f"ajet:version:{ORGANISATION_DATA}")  # as if the cache had evicted it
    assert not fresh_powers(block_rep.user).is_officer
    assert version_of(ORGANISATION_DATA) > 1


def test_the_dashboard_follows_appointments_joins_and_moves(client, executive, member, other_chapter, other_block_rep):
    client.force_login(member.user)
    assert "Bob Block" not in client.get(reverse("core:dashboard")).content.decode()
    bob = Member.objects.create(user=User.objects.create_user("bob2@example.org"), full_name="Bob Block",
                                prefecture_id="11", status="current")
    services.appoint(by=executive.user, post=block_post(3), member=bob, start=timezone.localdate())
    assert "Bob Block" in client.get(reverse("core:dashboard")).content.decode()

    services.join_chapter(member=member, chapter=other_chapter)
    assert "Aichi AJET" in client.get(reverse("core:dashboard")).content.decode()
    services.leave_chapter(member=member, chapter=other_chapter)
    my_chapters = client.get(reverse("core:dashboard")).content.decode().split("My chapters")[1].split("</dd>")[0]
    assert "Aichi AJET" not in my_chapters

    member.prefecture_id = "23"
    member.save(update_fields=["prefecture"])
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Block 5" in page and "Olga Other" in page
