"""docs/architecture.md stays true: every module it names exists, and every ``module.name`` it
points at is defined there, so a renamed function or a moved module fails here first."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = (ROOT / "cognito_forms", ROOT / "local_cognito", ROOT)

#: `flows/signin.py`, `jwks.py`, `views/base.py` ...
MODULE = re.compile(r"`([a-z_/]+\.py)`")
#: `flows/refresh.apply_refresh`, `request_auth.of` ...
MEMBER = re.compile(r"`([a-z_]+(?:/[a-z_]+)*)\.([a-z_][A-Za-z_]*)(?:\(\S*\))?`")


def _module(name: str) -> Path | None:
    """The module ``name`` names: from a package root, or (inside a table row about one
    folder) the one file of that name in the packages."""
    for base in PACKAGES:
        path = base / name
        if path.is_file():
            return path
    found = [p for base in PACKAGES[:2] for p in base.rglob(name) if "migrations" not in p.parts]
    return found[0] if len(found) == 1 else None


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def test_every_module_the_architecture_document_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = sorted({m for m in MODULE.findall(text) if _module(m) is None})
    assert missing == []


def test_every_function_the_architecture_document_points_at_is_defined_there() -> None:
    text = DOC.read_text(encoding="utf-8")
    wrong = []
    for module, member in MEMBER.findall(text):
        if member == "py":
            continue  # a module, checked above
        path = _module(f"{module}.py")
        if path is None:
            continue  # not a module of ours (e.g. `request.user`)
        if member not in _defined(path):
            wrong.append(f"{module}.{member}")
    assert wrong == []


def test_the_readme_links_the_architecture_document() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme
