"""Settings come from the environment; values that make no sense stop the start with a clear message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ajet.core.env import env_bool, env_int, env_list, env_str, parse_email_url


def test_env_int_reads_numbers_and_refuses_words(monkeypatch):
    monkeypatch.setenv("AJET_COUNCIL_YEAR_START_MONTH", "6")
    assert env_int("AJET_COUNCIL_YEAR_START_MONTH", 4) == 6
    monkeypatch.setenv("AJET_COUNCIL_YEAR_START_MONTH", "abc")
    with pytest.raises(ImproperlyConfigured, match=r"AJET_COUNCIL_YEAR_START_MONTH.*'abc'"):
        env_int("AJET_COUNCIL_YEAR_START_MONTH", 4)
    monkeypatch.setenv("AJET_COUNCIL_YEAR_START_MONTH", "")
    assert env_int("AJET_COUNCIL_YEAR_START_MONTH", 4) == 4


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("on", True),
                                               ("0", False), ("false", False), ("no", False), ("", False)])
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", default=not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", default=False)


def test_env_defaults_and_lists(monkeypatch):
    monkeypatch.delenv("AJET_TEST_UNSET", raising=False)
    assert env_str("AJET_TEST_UNSET", "fallback") == "fallback"
    assert env_bool("AJET_TEST_UNSET", default=True) is True
    monkeypatch.setenv("ALLOWED_HOSTS", " ajet.example, www.ajet.example ,, ")
    assert env_list("ALLOWED_HOSTS", []) == ["ajet.example", "www.ajet.example"]


def test_email_url_becomes_django_settings():
    smtp = parse_email_url("smtp+tls://robot%40ajet.example:p%40ss@mail.example:587")
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example", "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "robot@ajet.example", "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
    }
    assert parse_email_url("smtp+ssl://mail.example")["EMAIL_PORT"] == 465
    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert parse_email_url("locmem://")["EMAIL_BACKEND"].endswith("locmem.EmailBackend")


@pytest.mark.parametrize("url", ["ftp://x", "http://mail.example", "mail.example"])
def test_email_url_refuses_unknown_schemes(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url(url)


@pytest.mark.parametrize(("name", "value"), [
    ("AJET_COUNCIL_YEAR_START_MONTH", "abc"),
    ("EMAIL_URL", "ftp://x"),
    ("AJET_ENV", "staging"),
    ("DEBUG", "perhaps"),
])
def test_settings_refuse_to_load_with_a_bad_value(tmp_path, name, value):
    env = {key: val for key, val in os.environ.items() if not key.startswith(("DJANGO_", "AJET_"))}
    env.update(DJANGO_SETTINGS_MODULE="ajet.settings", AJET_VAR_DIR=str(tmp_path), **{name: value})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
