"""The Japanese catalogue is complete, compiled, and covers every string marked in the code."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries():
    return [entry for entry in polib.pofile(str(PO)) if not entry.obsolete]


def test_every_string_has_a_japanese_translation():
    untranslated = [entry.msgid for entry in _entries() if not entry.translated() or entry.fuzzy]
    assert not untranslated, f"{len(untranslated)} strings lack a Japanese translation: {untranslated[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    translations = gettext.GNUTranslations(MO.open("rb"))
    for entry in _entries():
        if entry.msgid_plural:
            assert translations.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
        elif entry.msgctxt:
            assert translations.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert translations.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogue_holds_every_marked_string(tmp_path):
    """Extract the strings afresh into a copy of the project and compare with the committed catalogue."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "ajet", copy / "ajet", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "--no-location"],
        cwd=copy, check=True, capture_output=True,
    )
    fresh = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(copy / "locale/ja/LC_MESSAGES/django.po"))}
    committed = {(entry.msgctxt, entry.msgid) for entry in _entries()}
    missing = sorted(msgid for _, msgid in fresh - committed)
    assert not missing, f"strings not in locale/ja/LC_MESSAGES/django.po (run `make messages`): {missing[:10]}"
