"""The documentation stays true: every setting is in the settings table, every documented block
exists in its layout (and every layout block is documented), every signal is documented, and the
README keeps its first lines and links the guides."""

from __future__ import annotations

import re
from pathlib import Path

from django.dispatch import Signal

from cognito_forms import signals
from cognito_forms.conf import AppSettings
from cognito_forms.form_config import FORM_KEYS

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "customising.md").read_text(encoding="utf-8")
TEMPLATES = ROOT / "cognito_forms" / "templates"


def _table_settings() -> set[str]:
    return set(re.findall(r"^\| `(COGNITO_[A-Z_]+)` \|", SETTINGS_DOC, re.M))


def test_every_app_setting_is_in_the_settings_table() -> None:
    properties = [name for name, value in vars(AppSettings).items() if isinstance(value, property)]
    assert len(properties) > 40
    missing = [
        f"COGNITO_{name}" for name in properties if f"COGNITO_{name}" not in _table_settings()
    ]
    assert missing == []


def test_every_cognito_setting_the_code_reads_is_in_the_settings_table() -> None:
    read: set[str] = set()
    for path in (ROOT / "cognito_forms").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"[\"'](COGNITO_[A-Z_]+)[\"']", text))
    # conf.BRAND reads these two by building their names.
    read |= {"COGNITO_BRAND_SITE_NAME", "COGNITO_BRAND_LOGO_URL"}
    # Values of Cognito's own API that happen to share the prefix (EmailSendingAccount).
    read -= {"COGNITO_DEFAULT"}
    assert sorted(read - _table_settings()) == []


def test_the_settings_table_documents_no_setting_that_does_not_exist() -> None:
    known = {f"COGNITO_{n}" for n, v in vars(AppSettings).items() if isinstance(v, property)}
    known |= {
        "COGNITO_BRAND_SITE_NAME",
        "COGNITO_BRAND_LOGO_URL",
        "COGNITO_CONTENT_SECURITY_POLICY",
    }
    assert sorted(_table_settings() - known) == []


def _documented_blocks() -> dict[str, set[str]]:
    rows = re.findall(r"^\| `(cognito_forms/layouts/[a-z_]+\.html)` \| (.+) \|$", GUIDE, re.M)
    return {name: set(re.findall(r"`([a-z_]+)`", blocks)) for name, blocks in rows}


def test_documented_layout_blocks_are_exactly_the_blocks_of_each_layout() -> None:
    documented = _documented_blocks()
    layouts = sorted((TEMPLATES / "cognito_forms" / "layouts").glob("*.html"))
    assert {f"cognito_forms/layouts/{p.name}" for p in layouts} == set(documented)
    for path in layouts:
        blocks = set(re.findall(r"{%\s*block\s+([a-z_]+)", path.read_text(encoding="utf-8")))
        assert blocks == documented[f"cognito_forms/layouts/{path.name}"], path.name


def test_every_partial_and_page_template_is_documented() -> None:
    for path in (TEMPLATES / "cognito_forms").rglob("*.html"):
        relative = path.relative_to(TEMPLATES / "cognito_forms").as_posix()
        if relative.startswith(("layouts/", "preview/")):
            continue
        assert (f"`cognito_forms/{relative}`" in GUIDE) or (f"`{path.name}`" in GUIDE), relative


def test_every_signal_is_documented_with_its_arguments() -> None:
    names = [n for n, v in vars(signals).items() if isinstance(v, Signal)]
    assert len(names) >= 6
    for name in names:
        row = re.search(rf"^\| `{name}` \|.*\|$", GUIDE, re.M)
        assert row, name


def test_every_custom_form_key_is_documented() -> None:
    for key in FORM_KEYS:
        assert f"`{key}`" in GUIDE
        assert f"`{key}`" in SETTINGS_DOC


def test_readme_keeps_its_two_commands_first_and_links_the_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert lines[0] == "# cognito-forms"
    assert lines[3].startswith("make run")
    assert lines[4].startswith("make test")
    for guide in ("docs/settings.md", "docs/customising.md", "docs/production.md"):
        assert f"({guide})" in readme
        assert (ROOT / guide).is_file()


def test_the_production_guide_covers_the_pool_settings_that_matter() -> None:
    guide = (ROOT / "docs" / "production.md").read_text(encoding="utf-8")
    for topic in (
        "gunicorn",
        "PostgreSQL",
        "Redis",
        "HTTPS",
        "PreventUserExistenceErrors",
        "secret",
        "SRP",
        "revocation",
        "rotation",
        "grace period",
        "WriteAttributes",
        "lifetime",
        "cognito_doctor",
    ):
        assert topic in guide, topic


def test_the_keyword_arguments_of_every_replaceable_form_are_documented() -> None:
    # An operator's subclass receives exactly these: the guide's table must say what they are.
    import importlib
    import inspect

    rows = re.findall(r"^\| `(\w+)` \| `(forms\.[\w.]+)` \| (.*) \|$", GUIDE, re.M)
    documented = {key: (path, text) for key, path, text in rows}
    assert set(documented) == set(FORM_KEYS)
    for key, (path, text) in documented.items():
        module, _dot, name = f"cognito_forms.{path}".rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        assert cls.__name__ == FORM_KEYS[key]
        taken = {
            p.name
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.kind is p.KEYWORD_ONLY
        }
        assert set(re.findall(r"`(\w+): [^`]+`", text)) == taken, key
