"""The accessibility check itself works under the site's strict Content-Security-Policy."""

import pytest

from tests.browser.conftest import assert_accessible


def test_axe_runs_under_the_strict_csp_and_reports_a_real_violation(page, site):
    response = page.goto(site + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_accessible(page)

    # Break the page on purpose: an image without a text alternative is a critical violation.
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        assert_accessible(page)
