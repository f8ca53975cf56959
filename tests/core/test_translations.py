"""English when the user chooses English (issue 16): every message the code and the
templates mark for translation has an English text in the compiled catalogue
(``locale/en/LC_MESSAGES/django.mo``) — the one the running site reads, so an
entry appended to the .po without ``compilemessages`` fails too.

The messages in use are what ``makemessages`` extracts today, run on a copy of the
sources in a temporary directory (the checkout's catalogue is not touched)."""

import os
import shutil
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
SOURCES = ("config", "core", "enforcement", "custody_funds", "dualcheck", "supervision", "audit", "templates")
KEEP = ("*.py", "*.html", "*.txt", "*.xml")


def _messages_in_use(tmp_path: Path, settings) -> list:
    for name in SOURCES:
        shutil.copytree(
            ROOT / name,
            tmp_path / name,
            ignore=lambda folder, names: [
                n for n in names if not (Path(folder, n).is_dir() or any(Path(n).match(p) for p in KEEP))
            ],
        )
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["en"], verbosity=0)
    finally:
        os.chdir(here)
    with open(tmp_path / "locale/en/LC_MESSAGES/django.po", "rb") as f:
        return [m for m in read_po(f) if m.id]


def test_every_message_in_use_has_english(tmp_path, settings):
    with open(ROOT / "locale/en/LC_MESSAGES/django.mo", "rb") as f:
        compiled = read_mo(f)
    used = _messages_in_use(tmp_path, settings)
    assert len(used) > 1000  # the extraction really ran over the sources

    missing = []
    for message in used:
        english = compiled.get(message.id, message.context)
        text = english.string if english is not None else None
        if not text or (isinstance(text, tuple) and not all(text)):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"{message.id!r} ({where})")
    assert not missing, f"{len(missing)} messages without English:\n" + "\n".join(missing)
