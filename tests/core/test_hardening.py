"""Hardening: health check, production settings, CSP, sign-in by default, throttled logins, and superusers
who are for the Django admin only."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.people.models import Member, User
from tests.factories import PASSWORD, give_mfa, give_term, national_post

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # allauth's login rate limits live in the cache
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    root = User.objects.create_superuser("root@example.org", PASSWORD)
    give_mfa(root)
    return root


# --- Health ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_healthz_answers_200_for_anyone(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


# --- Production settings -----------------------------------------------------------------------

def production_env(tmp_path, **overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AJET_"))}
    for key in ("DEBUG", "REDIS_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "CSRF_TRUSTED_ORIGINS",
                "SITE_URL"):
        env.pop(key, None)
    env.update(
        AJET_ENV="production",
        AJET_VAR_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS="ajet.example",
        EMAIL_URL="smtp://mail.example:25",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        SITE_URL="https://ajet.example",
        DJANGO_SETTINGS_MODULE="ajet.settings",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_passes_under_production_settings(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("override", "message"), [
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
    ({"SECRET_KEY": "dev-only-secret-key-not-for-production"}, "SECRET_KEY"),
    ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ({"EMAIL_URL": None}, "EMAIL_URL"),
    ({"REDIS_URL": None}, "REDIS_URL"),
    ({"DEBUG": "true"}, "DEBUG"),
    ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ({"ALLOWED_HOSTS": "ajet.example,*.ajet.example"}, "ALLOWED_HOSTS"),
    ({"SITE_URL": None}, "SITE_URL"),
    ({"SITE_URL": "http://ajet.example"}, "SITE_URL"),
    ({"SITE_URL": "https://"}, "SITE_URL"),
])
def test_production_refuses_to_start_without_its_secrets(tmp_path, override, message):
    result = run(["-c", "import django; django.setup()"], production_env(tmp_path, **override))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_seed_demo_refuses_to_run_in_production(tmp_path):
    """The demo officers share a public password and TOTP secret: they must never reach a real site."""
    env = production_env(tmp_path)
    assert run(["manage.py", "migrate", "--noinput"], env).returncode == 0
    result = run(["manage.py", "seed_demo", "--members", "3", "--chapters", "1"], env)
    assert result.returncode != 0 and "production" in result.stderr
    count = run(["manage.py", "shell", "-c", "from ajet.people.models import User; print(User.objects.count())"],
                env)
    assert count.stdout.strip().splitlines()[-1] == "0", count.stderr


def test_production_turns_on_secure_cookies_and_hsts(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)")
    result = run(["-c", code], production_env(tmp_path))
    assert result.stdout.split() == ["True", "True", "True", "False"], result.stderr


# --- Content-Security-Policy -------------------------------------------------------------------

@pytest.mark.django_db
def test_home_page_sends_a_strict_csp(client):
    policy = client.get(reverse("core:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"(\sstyle\s*=|<style\b)", re.IGNORECASE)


def project_templates() -> list[Path]:
    return sorted((BASE_DIR / "ajet").glob("**/templates/**/*.html"))


def test_no_template_has_inline_scripts_or_styles():
    templates = project_templates()
    assert len(templates) > 10
    offenders = [
        str(path.relative_to(BASE_DIR)) for path in templates
        if INLINE_SCRIPT.search(path.read_text()) or INLINE_STYLE.search(path.read_text())
    ]
    assert not offenders, f"inline <script> or style in: {offenders}"


@pytest.mark.django_db
def test_rendered_pages_have_no_inline_scripts_or_styles(client, member, officer_without_mfa):
    """allauth's pages are rendered through our layout: check what the browser really gets."""
    pages = ["core:home", "organisation:council", "organisation:blocks", "organisation:chapters",
             "account_login", "account_signup", "account_reset_password"]
    client.force_login(member.user)
    signed_in = ["core:dashboard", "people:profile", "people:close_account", "account_email", "mfa_index"]
    for name in signed_in:
        html = client.get(reverse(name)).content.decode()
        assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html), name
    client.logout()
    for name in pages:
        html = client.get(reverse(name)).content.decode()
        assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html), name


# --- Sign-in by default ------------------------------------------------------------------------

def test_sign_in_is_required_by_default():
    """Every view needs sign-in unless marked @login_not_required (the authorization matrix walks them all)."""
    middleware = django_settings.MIDDLEWARE
    login_required = middleware.index("django.contrib.auth.middleware.LoginRequiredMiddleware")
    assert middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") < login_required
    assert django_settings.LOGIN_URL == "account_login"


@pytest.mark.django_db
def test_views_are_private_unless_marked_public(client):
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- Login throttling --------------------------------------------------------------------------

@pytest.mark.django_db
def test_repeated_failed_logins_are_refused_even_with_the_right_password(client, member):
    assert django_settings.ACCOUNT_RATE_LIMITS["login_failed"]
    login = reverse("account_login")
    for _ in range(5):
        response = client.post(login, {"login": "alice@example.org", "password": "wrong-password-1"})
        assert response.status_code == 200
    response = client.post(login, {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_few_failed_logins_do_not_lock_the_member_out(client, member):
    login = reverse("account_login")
    for _ in range(2):
        client.post(login, {"login": "alice@example.org", "password": "wrong-password-1"})
    response = client.post(login, {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


# --- Superusers are for the admin only ---------------------------------------------------------

@pytest.mark.django_db
def test_superuser_without_terms_has_no_officer_powers(client, superuser, pending, home_chapter):
    assert not superuser.has_perm("people.confirm_member", pending)
    assert not superuser.has_perm("people.view_pending_members")
    assert not superuser.has_perm("core.view_audit_log")
    assert not superuser.has_perm("organisation.change_chapter", home_chapter)
    assert not superuser.has_perm("organisation.change_chapter")  # also a Django model permission's name
    assert superuser.has_perm("people.view_user")  # the admin's own permissions stay
    client.force_login(superuser)
    assert client.get(reverse("people:pending")).status_code == 403
    assert client.get(reverse("core:audit_log")).status_code == 403


@pytest.mark.django_db
def test_superuser_who_holds_an_executive_term_has_its_powers(superuser, pending):
    member = Member.objects.create(user=superuser, full_name="Sam Super", prefecture_id="13", status="current")
    give_term(member, national_post("chair"))
    assert User.objects.get(pk=superuser.pk).has_perm("people.confirm_member", pending)


@pytest.mark.django_db
def test_permission_rows_and_groups_grant_no_officer_powers(member, pending, home_chapter):
    user = member.user
    user.user_permissions.add(Permission.objects.get(codename="change_chapter"),
                              Permission.objects.get(codename="change_member"))
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("organisation.change_chapter", home_chapter)
    assert not user.has_perm("organisation.change_chapter")
    assert user.has_perm("people.change_member")  # not an officer power: Django's rules apply


@pytest.mark.django_db
def test_inactive_accounts_have_no_permissions(executive, pending):
    user = executive.user
    user.is_active = False
    user.save()
    assert not User.objects.get(pk=user.pk).has_perm("people.confirm_member", pending)


# --- The Django admin --------------------------------------------------------------------------

@pytest.mark.django_db
def test_admin_is_read_mostly_for_staff_superusers(client, superuser, member):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    ours = [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in {"core", "people", "organisation"}]
    assert {model.__name__ for model, _ in ours} >= {
        "User", "Member", "Prefecture", "Block", "BlockAssignment", "Chapter", "Post", "Term", "Initiative",
        "AuditEntry"}
    for model, model_admin in ours:
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert model_admin.has_change_permission(request) == (model is User), model

    client.force_login(superuser)
    for model, _ in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:people_member_change", args=[member.pk])).status_code == 200


@pytest.mark.django_db
def test_staff_superusers_do_not_see_or_search_jet_numbers_in_the_admin(client, superuser, member):
    assert member.jet_number == "20123456789"
    client.force_login(superuser)
    pages = [reverse("admin:people_member_change", args=[member.pk]),
             reverse("admin:people_user_change", args=[member.user.pk]),
             reverse("admin:people_member_changelist")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and member.full_name in response.content.decode(), url
        assert "20123456789" not in response.content.decode(), url
    found = client.get(reverse("admin:people_member_changelist"), {"q": "20123456789"}).content.decode()
    assert "Alice Member" not in found


@pytest.mark.django_db
def test_switching_an_account_off_in_the_admin_is_audit_logged(client, superuser, member):
    client.force_login(superuser)
    response = client.post(reverse("admin:people_user_change", args=[member.user.pk]), {
        "member-TOTAL_FORMS": "1", "member-INITIAL_FORMS": "1", "member-MIN_NUM_FORMS": "0",
        "member-MAX_NUM_FORMS": "1", "member-0-id": str(member.pk), "member-0-user": str(member.user.pk),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    member.user.refresh_from_db()
    assert not member.user.is_active
    entry = AuditEntry.objects.get(action="user.change_active")
    assert entry.before == {"is_active": True} and entry.after == {"is_active": False}


@pytest.mark.django_db
def test_members_and_officers_cannot_use_the_admin(client, executive):
    client.force_login(executive.user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 403


@pytest.mark.django_db
def test_admin_sign_in_goes_through_the_throttled_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_every_permission_backend_leaves_officer_powers_to_rules():
    from django.contrib.auth.backends import ModelBackend
    from django.utils.module_loading import import_string

    from ajet.people.backends import NoOfficerPowersMixin

    for path in django_settings.AUTHENTICATION_BACKENDS:
        backend = import_string(path)
        if issubclass(backend, ModelBackend):
            assert issubclass(backend, NoOfficerPowersMixin), path


def test_the_policy_built_once_is_django_csps_own(client, db):
    """ajet.core.middleware.CSPMiddleware builds the settings' policy once per process: the header is the
    one django-csp builds for each response."""
    from csp.utils import build_policy

    response = client.get("/")
    assert response["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response
