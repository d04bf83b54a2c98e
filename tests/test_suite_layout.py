"""The suite's own layout: tests are organised by journey or module, fixtures shared through
conftest.py and helpers through modules that are not test modules. A test module importing
another would run (or re-collect) that module's fixtures and couple two files' edits; a file
named after an audit hides which journey its tests pin (docs/security.md cites tests by path)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _test_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def _imported_modules(path: Path) -> list[str]:
    """Every module ``path`` imports, absolute, dotted from the repository root."""
    package = ".".join(path.relative_to(TESTS.parent).parent.parts)
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def test_the_layout_check_sees_the_suite() -> None:
    assert len(_test_modules()) > 50
    assert "tests.session_helpers" in _imported_modules(TESTS / "test_refresh.py")


def test_no_test_module_imports_another_test_module() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)} imports {name}"
        for path in _test_modules()
        for name in _imported_modules(path)
        if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert not offenders, "move shared fixtures to conftest.py, helpers to *_helpers.py"


def test_no_test_file_is_named_after_an_audit() -> None:
    audits = [p.name for p in _test_modules() if p.name.startswith("test_security_audit")]
    assert not audits, "put each test in the file of the journey or module it pins"
