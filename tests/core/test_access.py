"""`authorize`, the shape of every fetch-and-authorize helper: hidden is 404, seen but not allowed is 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ajet.core.access import authorize
from tests.factories import block_post

pytestmark = pytest.mark.django_db


def test_what_the_user_may_not_see_is_hidden(member, block_rep):
    handbook = block_post(3)
    with pytest.raises(Http404):
        authorize(member.user, handbook, see="organisation.view_handbook")
    with pytest.raises(Http404):  # hidden comes first, whatever the action
        authorize(member.user, handbook, see="organisation.view_handbook", do="organisation.change_handbook")
    assert authorize(block_rep.user, handbook, see="organisation.view_handbook") is handbook


def test_what_the_user_sees_but_may_not_do_is_forbidden(member, home_chapter):
    # Alice sees her own profile, but not as its manager: she may not read her JET number there ...
    assert authorize(member.user, member, see="people.view_member") is member
    with pytest.raises(PermissionDenied):
        authorize(member.user, member, see="people.view_member", do="people.view_jet_number")
    # ... and she may leave her chapter, but not manage its officers.
    with pytest.raises(PermissionDenied):
        authorize(member.user, home_chapter, see="organisation.leave_chapter",
                  do="organisation.manage_chapter_officers")


def test_what_the_user_may_see_and_do_is_returned(block_rep, home_chapter, member):
    handbook = block_post(3)
    for action in (None, "organisation.view_handbook", "organisation.change_handbook"):
        assert authorize(block_rep.user, handbook, see="organisation.view_handbook", do=action) is handbook
    assert authorize(block_rep.user, member, see="people.view_member", do="people.view_jet_number") is member
    assert authorize(block_rep.user, home_chapter, see="organisation.leave_chapter",
                     do="organisation.manage_chapter_officers") is home_chapter
