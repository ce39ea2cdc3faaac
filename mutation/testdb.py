"""A pytest plugin for `make mutate`: each test run starts from the same migrated SQLite files.

Creating a test database (every migration, the reference data) costs more than most modules' tests, and
every mutant would pay it again. With AJET_MUTATION_DB set, the first run migrates into that file and keeps
a clean copy beside it; every later run starts from a fresh copy of the clean one (`--reuse-db`), so a
transactional test that flushed the tables in one run cannot harm the next. The PSG's own database (alias
"support", ajet/support/routers.py) gets a file of its own beside it, the same way, once a selection needs it
(an in-memory test database would be migrated again by every run: ~10 s of CPU each).

With AJET_MUTATION_PRELOAD set, a run also writes there the modules it imported from outside the tree: what
mutation/forkserver.py imports once for every later run of the selection.
"""

import os
import sqlite3
import sys
from pathlib import Path

ALIASES = ("default", "support")


def _copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def _files(database: str) -> dict[str, tuple[Path, Path]]:
    """Each alias's test database file and its clean copy."""
    files = {}
    for alias in ALIASES:
        path = Path(database if alias == "default" else f"{database}.{alias}")
        files[alias] = (path, Path(f"{path}.clean"))
    return files


def pytest_configure(config):
    database = os.environ.get("AJET_MUTATION_DB")
    if not database or not config.pluginmanager.hasplugin("django"):
        return  # not a mutation run, or a selection without Django (`-p no:django`: the counter's tests)
    config.option.reuse_db = True
    files = _files(database)
    for path, clean in files.values():
        if clean.exists():
            _copy(clean, path)
        else:  # never a half-migrated file left by a run that failed
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    config.ajet_mutation_db = files


def pytest_sessionstart(session):
    files = getattr(session.config, "ajet_mutation_db", None)
    if files is not None:
        from django.conf import settings
        from django.db import connections

        for alias, (path, _clean) in files.items():
            if alias in settings.DATABASES and settings.DATABASES[alias]["ENGINE"].endswith("sqlite3"):
                test_settings = {"NAME": str(path)}
                settings.DATABASES[alias].setdefault("TEST", {}).update(test_settings)
                connections[alias].settings_dict.setdefault("TEST", {}).update(test_settings)


def pytest_sessionfinish(session, exitstatus):
    preload = os.environ.get("AJET_MUTATION_PRELOAD")
    if preload and exitstatus == 0:
        ours = set(tree_modules())
        Path(preload).write_text("".join(f"{name}\n" for name in sorted(set(sys.modules) - ours)))
    files = getattr(session.config, "ajet_mutation_db", None)
    if files is not None and exitstatus == 0:
        for path, clean in files.values():
            if not clean.exists() and path.exists():
                _copy(path, clean)


def tree_modules() -> list[str]:
    """The loaded modules that come from this copy of the tree (the virtualenv lives outside it)."""
    root = f"{Path.cwd().resolve()}/"
    return [name for name, module in list(sys.modules.items())
            if (getattr(module, "__file__", None) or "").startswith(root)
            and "/site-packages/" not in module.__file__]
