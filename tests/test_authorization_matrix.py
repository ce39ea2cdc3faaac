"""Every URL pattern of the project × every role: allowed or denied as the app's rows say.

The list of patterns comes from the URL resolver, so a new view without a row fails here.
Third-party screens (Django admin, allauth) are covered by the rows in tests/core/authz.py.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz_support import LOGIN, MFA, REDIRECT, ROLES, World


def _all_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else (pattern.name or repr(pattern.pattern)))

    walk(get_resolver().url_patterns, "")
    return names


def _all_rows():
    rows = []
    for module_path in sorted(Path(__file__).parent.glob("*/authz.py")):
        module = importlib.import_module(f"tests.{module_path.parent.name}.authz")
        rows.extend(module.ROWS)
    return rows


ROWS = _all_rows()
# Screens that belong to libraries and are covered as a whole by one representative row each.
THIRD_PARTY_PREFIXES = ("admin:", "account_", "mfa_")


def test_every_url_pattern_has_a_row():
    covered = {row.name for row in ROWS}
    ours = {name for name in _all_url_names() if not name.startswith(THIRD_PARTY_PREFIXES)}
    missing = sorted(ours - covered)
    assert not missing, f"URL patterns without a row in tests/<app>/authz.py: {missing}"
    assert not covered - _all_url_names(), f"rows for URL names that do not exist: {sorted(covered - _all_url_names())}"


# Some rows read the PSG's own database (tests/support/authz.py).
pytestmark = pytest.mark.django_db(databases=["default", "support"])


@pytest.fixture
def world(home_chapter, other_chapter, pending, pending_elsewhere, member, chapter_officer, block_rep,
          other_block_rep, executive, officer_without_mfa, attacker):
    return World(**locals())


def _user_for(role: str, world: World):
    if role == "anonymous":
        return None
    return getattr(world, role).user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}:{row.name}")
def test_matrix(client, world, row, role):
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user)
    url = reverse(row.name, kwargs=row.kwargs(world))
    response = getattr(client, row.method)(url, row.data(world)) if row.method == "post" else client.get(url)
    expected = row.expect[role]
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302 and location.startswith(reverse("account_login")), (
            response.status_code, location)
    elif expected == MFA:
        assert response.status_code == 302 and location.startswith(reverse("organisation:officer_mfa")), (
            response.status_code, location)
    elif expected == REDIRECT:
        assert response.status_code in (302, 303), response.status_code
        assert not location.startswith((reverse("account_login"), reverse("organisation:officer_mfa"))), location
    else:
        assert response.status_code == expected, (response.status_code, location)
    if row.verify is not None:
        row.verify(world, role)
