"""The PSG's own records in a database of their own: where each table lives, no key into the member register,
volunteers only under a pseudonym, every staff access to the figures audit-logged, and the settings that
name the database."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connections
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.support import services
from ajet.support.models import ContactLog
from ajet.support.routers import CONFIDENTIAL_MODELS, SUPPORT_DB

pytestmark = pytest.mark.django_db(databases=["default", "support"])

BASE_DIR = Path(__file__).resolve().parents[2]


def _tables(alias):
    return set(connections[alias].introspection.table_names())


def test_the_confidential_tables_live_in_the_support_database_only():
    confidential = {apps.get_model("support", name)._meta.db_table for name in CONFIDENTIAL_MODELS}
    assert confidential == {"support_contactlog", "support_conversation", "support_urgentflag"}
    assert confidential <= _tables(SUPPORT_DB)
    assert not confidential & _tables("default")
    # …and nothing of the member register (or anything else) in the support database.
    assert _tables(SUPPORT_DB) - confidential <= {"django_migrations", "sqlite_sequence"}


def test_no_confidential_model_has_a_key_to_anything():
    for name in CONFIDENTIAL_MODELS:
        model = apps.get_model("support", name)
        assert not [field for field in model._meta.get_fields() if field.is_relation], name


def test_a_contact_log_is_written_to_the_support_database(volunteer):
    log, _scrubbed = services.file_contact_log(volunteer=volunteer, channel="phone", duration="0-10",
                                               topics=["health"], referral_given=False, follow_up=False,
                                               high_risk=False)
    with connections[SUPPORT_DB].cursor() as cursor:
        cursor.execute("SELECT channel FROM support_contactlog WHERE id = %s", [log.pk])
        assert cursor.fetchall() == [("phone",)]
    assert ContactLog.objects.db == SUPPORT_DB


def test_a_volunteer_appears_only_under_a_pseudonym(volunteer, untrained_volunteer, settings):
    pseudonym = services.pseudonym_of(volunteer)
    assert pseudonym == services.pseudonym_of(volunteer)  # stable: one volunteer's flags can be counted
    assert pseudonym != services.pseudonym_of(untrained_volunteer)
    assert len(pseudonym) == 18 and int(pseudonym.removeprefix("v-"), 16) >= 0  # a keyed hash, nothing else
    settings.SECRET_KEY = "another-secret-" * 4
    assert services.pseudonym_of(volunteer) != pseudonym  # cannot be recomputed without the server's key


def test_every_staff_access_to_the_figures_is_audit_logged(client, psg_coordinator):
    client.force_login(psg_coordinator.user)
    assert client.get(reverse("support:contact_statistics")).status_code == 200
    assert client.get(reverse("support:contact_statistics_csv")).status_code == 200
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id")) == [
        ("support.statistics_view", psg_coordinator.user.pk), ("support.statistics_csv", psg_coordinator.user.pk)]


def _support_database(**env) -> str:
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['support']['NAME'])"
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AJET_", "DATABASE",
                                                                                   "SUPPORT_"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, check=True,  # noqa: S603
                            env={**clean, "DJANGO_SETTINGS_MODULE": "ajet.settings", **env})
    return result.stdout.strip().splitlines()[-1]


def test_the_support_database_is_named_by_the_environment(tmp_path):
    assert _support_database(AJET_VAR_DIR=str(tmp_path)) == str(tmp_path / "support.sqlite3")
    assert _support_database(DATABASE_URL="postgres://u@db:5432/nexus") == "nexus_psg"
    assert _support_database(DATABASE_URL="postgres://u@db:5432/nexus",
                             SUPPORT_DATABASE_URL="postgres://psg@other:5432/line") == "line"


def test_serve_refuses_a_support_database_without_its_migrations(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AJET_", "DATABASE",
                                                                                  "SUPPORT_"))}
    env.update(AJET_ENV="development", AJET_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ajet.settings")
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--database", "default"],
                   cwd=BASE_DIR, env=env, check=True, timeout=300)
    result = subprocess.run([sys.executable, "manage.py", "serve", "--no-migrate", "--port", "1"],
                            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0 and "The database 'support' lacks" in result.stderr
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env,
                   check=True, timeout=300)
    with sqlite3.connect(tmp_path / "support.sqlite3") as database:
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "support_contactlog" in tables and "people_member" not in tables
