"""The pending list is cached per officer (ajet/people/views.py pending_members); every change to the
sign-ups, their addresses or the officer's area shows on the officer's next request."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
PENDING = reverse("people:pending")


def queue(client) -> str:
    response = client.get(PENDING)
    assert response.status_code == 200
    return response.content.decode()


def test_new_verified_and_confirmed_sign_ups_show_at_once(client, block_rep, pending):
    client.force_login(block_rep.user)
    assert "Penny Pending" in queue(client)
    newcomer = MemberFactory(full_name="Nina Newcomer", status="pending")
    assert "Nina Newcomer" in queue(client)
    address = EmailAddress.objects.get(user=newcomer.user)
    address.verified = False
    address.save()
    page = queue(client)
    assert page.index("Nina Newcomer") > page.index("E-mail address not verified yet")
    client.post(reverse("people:decide_pending"), {"members": [pending.pk], "decision": "confirm"})
    assert "Penny Pending" not in queue(client)


def test_the_form_token_is_per_request_and_another_officer_has_their_own_queue(client, block_rep, executive,
                                                                               pending_elsewhere):
    client.force_login(block_rep.user)
    assert "Ellis Elsewhere" not in queue(client)
    client.force_login(executive.user)

    def form_token(page: str) -> str:
        form = page[page.index('class="queue"'):]
        return form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    page = queue(client)
    assert "Ellis Elsewhere" in page
    assert form_token(page) != form_token(queue(client))  # rendered (masked) afresh, the queue from the cache
