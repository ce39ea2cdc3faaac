"""Personas, one per role, in a world where the data that could leak exists.

Home ground is Saitama (prefecture 11, block 3). "Elsewhere" is Aichi (prefecture 23, block 5).
Officers have MFA unless their name says otherwise.
"""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from ajet.people.mfa import mark_session_passed_mfa
from tests.factories import (
    ChapterFactory,
    MemberFactory,
    block_post,
    chapter_post,
    give_mfa,
    give_term,
    join,
    national_post,
)

# Property tests must never fail on wall-clock time (a loaded machine made one example exceed Hypothesis'
# default 200 ms deadline): no deadline for any of them.
hypothesis_settings.register_profile("ajet", deadline=None)
hypothesis_settings.load_profile("ajet")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    cache.clear()  # cached powers and panels must not outlive the test's data
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast personas
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class SignInClient(Client):
    """`force_login` signs in as the whole sign-in would: an account with MFA has passed its second factor
    in this session. `force_login(user, mfa=False)` is the session that signed in with a password alone."""

    def force_login(self, user, backend=None, *, mfa=True):
        super().force_login(user, backend)
        if mfa:
            session = self.session
            mark_session_passed_mfa(session, user)
            session.save()


@pytest.fixture
def client():
    return SignInClient()


@pytest.fixture
def home_chapter(db):
    return ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"])


@pytest.fixture
def other_chapter(db):
    return ChapterFactory(name="Aichi AJET", slug="aichi", prefecture_codes=["23"])


@pytest.fixture
def pending(db):
    return MemberFactory(full_name="Penny Pending", status="pending", user__email="penny@example.org")


@pytest.fixture
def pending_elsewhere(db):
    return MemberFactory(full_name="Ellis Elsewhere", status="pending", prefecture_id="23",
                         user__email="ellis@example.org")


@pytest.fixture
def member(db, home_chapter):
    alice = MemberFactory(full_name="Alice Member", user__email="alice@example.org", jet_number="20123456789")
    join(alice, home_chapter)
    return alice


@pytest.fixture
def chapter_officer(db, home_chapter):
    carol = MemberFactory(full_name="Carol Chapter", user__email="carol@example.org")
    give_term(carol, chapter_post(home_chapter))
    give_mfa(carol.user)
    return carol


@pytest.fixture
def block_rep(db):
    bob = MemberFactory(full_name="Bob Block", user__email="bob@example.org")
    give_term(bob, block_post(3))
    give_mfa(bob.user)
    return bob


@pytest.fixture
def other_block_rep(db):
    olga = MemberFactory(full_name="Olga Other", prefecture_id="23", user__email="olga@example.org")
    give_term(olga, block_post(5))
    give_mfa(olga.user)
    return olga


@pytest.fixture
def executive(db):
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13", user__email="erin@example.org")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    return erin


@pytest.fixture
def cir_rep(db):
    cid = MemberFactory(full_name="Cid CIR", prefecture_id="01", position="CIR", user__email="cid@example.org")
    give_term(cid, national_post("cir-representative"))
    give_mfa(cid.user)
    return cid


@pytest.fixture
def attacker(db, home_chapter):
    """Mallory represents Block 3 beside Bob and is the home chapter's treasurer: she will try to widen
    her own powers through every form that shapes posts, terms, chapters and blocks."""
    mallory = MemberFactory(full_name="Mallory Attacker", user__email="mallory@example.org")
    give_term(mallory, block_post(3))
    give_term(mallory, chapter_post(home_chapter, slug="treasurer", name="Treasurer"))
    give_mfa(mallory.user)
    return mallory


@pytest.fixture
def officer_without_mfa(db):
    nora = MemberFactory(full_name="Nora NoMFA", user__email="nora@example.org")
    give_term(nora, block_post(3))
    return nora


def pytest_collection_modifyitems(config, items):
    """Browser tests live under tests/browser and carry the `browser` marker."""
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
