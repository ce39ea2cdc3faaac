"""A pytest plugin for `make mutate`: each test run starts from the same migrated SQLite file.

Creating the test database (every migration, the reference data) costs more than most modules' tests, and
every mutant would pay it again. With AJET_MUTATION_DB set, the first run migrates into that file and keeps
a clean copy beside it; every later run starts from a fresh copy of the clean one (`--reuse-db`), so a
transactional test that flushed the tables in one run cannot harm the next.
"""

import os
import sqlite3
from pathlib import Path


def _copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def pytest_configure(config):
    database = os.environ.get("AJET_MUTATION_DB")
    if not database or not config.pluginmanager.hasplugin("django"):
        return  # not a mutation run, or a selection without Django (`-p no:django`: the counter's tests)
    config.option.reuse_db = True
    clean = Path(f"{database}.clean")
    if clean.exists():
        _copy(clean, Path(database))
    config.ajet_mutation_db = (Path(database), clean)


def pytest_sessionstart(session):
    paths = getattr(session.config, "ajet_mutation_db", None)
    if paths is not None:
        from django.conf import settings
        from django.db import connections

        test_settings = {"NAME": str(paths[0])}
        settings.DATABASES["default"].setdefault("TEST", {}).update(test_settings)
        connections["default"].settings_dict.setdefault("TEST", {}).update(test_settings)


def pytest_sessionfinish(session, exitstatus):
    paths = getattr(session.config, "ajet_mutation_db", None)
    if paths is not None and not paths[1].exists() and exitstatus == 0 and paths[0].exists():
        _copy(paths[0], paths[1])
