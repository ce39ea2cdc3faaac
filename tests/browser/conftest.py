"""Playwright drives Debian's Chromium against pytest-django's live server; axe-core checks every page.

These tests run in their own pytest invocation (`pytest -m browser`): tests/conftest.py marks them.
Without /usr/bin/chromium they skip with a reason, except in CI (CI=true), where they fail instead.
"""

import os
import re
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.db import connections

from tests.factories import PASSWORD, MemberFactory, block_post, give_mfa, give_term

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home, and this network is closed.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 740}
BLOCKING_IMPACTS = {"serious", "critical"}
MISSING_CHROMIUM = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"

_axe = Axe()


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists() and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(f"Browser tests skipped: {MISSING_CHROMIUM}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{MISSING_CHROMIUM}; in CI the browser tests must run, not skip.", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session", autouse=True)
def _connections_before_playwright(django_db_setup):
    """Also lets the test thread use the ORM while Playwright's event loop is marked running in it
    (the live server answers from its own thread). Set here, not at import, so that the other
    pytest run (`-m "not browser"`, which imports this file too) keeps Django's async-safety check."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield {alias: connections[alias] for alias in connections}
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _one_connection_per_database(playwright, _connections_before_playwright):
    """Starting Playwright's sync API can leave this thread with fresh Django connection objects
    (Django keeps them in context-local storage). Put the originals back: they hold the serialized
    test data, and the live server shares them when SQLite runs in memory."""
    for alias, connection in _connections_before_playwright.items():
        connections[alias] = connection


@pytest.fixture(autouse=True)
def _live_database(django_db_serialized_rollback, live_server):
    """The live server needs a transactional database; serialized rollback brings back the
    geography and council posts that the data migrations wrote, which each flush would erase."""


@pytest.fixture
def browser_errors():
    """Console errors (CSP violations among them) and uncaught script errors on every page a test opens;
    any at all fails the test at teardown."""
    errors: list[str] = []
    yield errors
    assert not errors, "errors in the browser console:\n" + "\n".join(errors)


def _listen_for_errors(page, errors: list[str]) -> None:
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: uncaught {error}"))


@pytest.fixture
def new_context(new_context, browser_errors):
    """pytest-playwright's contexts (and so its `page`), with every page listened to for errors."""

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.on("page", lambda page: _listen_for_errors(page, browser_errors))
        return context

    return _new_context


@pytest.fixture
def site(live_server):
    """The live server's base URL, without a trailing slash."""
    return live_server.url


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""
    results = _axe.run(page)
    blocking = [violation for violation in results.response["violations"]
                if violation.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"{len(blocking)} serious/critical accessibility violation(s) on {page.url}:"]
    for violation in blocking:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
            lines.append(f"      {node.get('html', '')[:200]}")
    pytest.fail("\n".join(lines), pytrace=False)


def assert_no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size}"


def current_totp(secret: str) -> str:
    """The TOTP code an authenticator app shows now. Near the end of a period, wait for the next
    one, so the code is still valid when the server checks it."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(page, site: str, email: str, *, totp_secret: str | None = None, landing: str = r"/dashboard/$") -> None:
    """Sign in through the real login form (and the TOTP step when the account has MFA)."""
    page.goto(f"{site}/accounts/login/")
    assert_accessible(page)
    page.get_by_label(re.compile("e-?mail", re.IGNORECASE)).first.fill(email)
    page.get_by_label(re.compile("^password", re.IGNORECASE)).first.fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if totp_secret is not None:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        assert_accessible(page)
        page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(current_totp(totp_secret))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(landing))


def sign_in_block_representative(page, site: str):
    """Bob, Block 3's representative with TOTP switched on, signed in through the real forms."""
    bob = MemberFactory(full_name="Bob Block", user__email="bob@example.org")
    give_term(bob, block_post(3))
    sign_in(page, site, "bob@example.org", totp_secret=give_mfa(bob.user))
    return bob
