"""Every translatable string in the code is in the shipped catalogs: extraction is run again
into a scratch copy of the tree and compared with the committed .po files, so a new message
cannot ship untranslated. Needs GNU gettext (xgettext), which .ci/run installs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.catalog_helpers import read_po

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("manage.py", "cognito_forms", "site_project", "templates")


def _msgids(path: Path) -> set[str]:
    return {entry["msgid"] for entry in read_po(path) if entry["msgid"]}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed; .ci/run installs it")
    scratch = tmp_path_factory.mktemp("tree")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, scratch / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, scratch / name)
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "de",
        "--no-obsolete",
        "--no-location",
    ]
    subprocess.run(
        command,
        cwd=scratch,
        check=True,
        capture_output=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "site_project.settings", "PATH": "/usr/bin:/bin"},
    )
    return scratch


@pytest.mark.parametrize("catalog", ["cognito_forms", "site_project"])
def test_every_message_in_the_code_is_in_the_shipped_catalog(extracted: Path, catalog: str) -> None:
    shipped = _msgids(ROOT / catalog / "locale" / "de" / "LC_MESSAGES" / "django.po")
    found = _msgids(extracted / catalog / "locale" / "de" / "LC_MESSAGES" / "django.po")
    missing = sorted(found - shipped)
    assert not missing, f"run makemessages and translate: {missing[:5]}"
