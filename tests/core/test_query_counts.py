"""Home, the member dashboard and the pending list answer in the same number of queries at sizes 1 and 3."""

import pytest
from django.urls import reverse

from tests.organisation.test_query_counts import GrowingWorld, assert_constant_queries

pytestmark = pytest.mark.django_db


def test_home_anonymous(client, executive, block_rep):
    assert_constant_queries(client, GrowingWorld(), reverse("core:home"))


def test_home_signed_in(client, member, block_rep):
    client.force_login(member.user)
    assert_constant_queries(client, GrowingWorld(viewer=member), reverse("core:home"))


def test_dashboard_of_a_member(client, member, block_rep):
    client.force_login(member.user)
    assert_constant_queries(client, GrowingWorld(viewer=member), reverse("core:dashboard"))


def test_dashboard_of_a_pending_member(client, pending, block_rep):
    client.force_login(pending.user)
    assert_constant_queries(client, GrowingWorld(), reverse("core:dashboard"))


@pytest.mark.parametrize("officer", ["block_rep", "chapter_officer", "executive"])
def test_dashboard_of_an_officer(client, request, officer):
    officer = request.getfixturevalue(officer)
    client.force_login(officer.user)
    assert_constant_queries(client, GrowingWorld(viewer=officer), reverse("core:dashboard"))


@pytest.mark.parametrize("officer", ["block_rep", "executive"])
def test_pending_list(client, request, pending, officer):
    officer = request.getfixturevalue(officer)
    client.force_login(officer.user)
    assert_constant_queries(client, GrowingWorld(), reverse("people:pending"))
