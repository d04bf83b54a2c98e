"""docs/security.md stays true: every test it names exists, every guarantee id has its own
section pinned by at least one test, the round-two sections are there, and the README links
the document. Round-two sections without test references yet are fine."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"

#: A test reference as the document writes it: `tests/some/file.py::test_name`.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+(?:::\w+)?)`")
ID_HEADING = re.compile(r"^#{2,4} ([A-Z]\d{1,2})\b", re.M)
ANY_HEADING = re.compile(r"^#{1,6} ", re.M)

GUARANTEES = [
    *(f"T{n}" for n in range(1, 12)),
    *(f"C{n}" for n in range(1, 9)),
    *(f"R{n}" for n in range(1, 6)),
    *(f"F{n}" for n in range(1, 11)),
    *(f"A{n}" for n in range(1, 5)),
    *(f"X{n}" for n in range(1, 6)),
    *(f"L{n}" for n in range(1, 5)),
]
ROUND_TWO = [f"S{n}" for n in range(1, 15)]


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


@functools.cache
def _tests_in(path: str) -> frozenset[str]:
    """Test functions of a file, and ``Class::method`` for test classes."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, functions) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, functions) and item.name.startswith("test")
            }
    return frozenset(names)


def _exists(path: str, name: str) -> bool:
    return (ROOT / path).is_file() and name in _tests_in(path)


def _sections() -> dict[str, list[str]]:
    """Each id heading's text up to the next heading of any level (an id may appear twice)."""
    doc = _doc()
    starts = [m.start() for m in ANY_HEADING.finditer(doc)] + [len(doc)]
    sections: dict[str, list[str]] = {}
    for match in ID_HEADING.finditer(doc):
        end = next(s for s in starts if s > match.start())
        sections.setdefault(match.group(1), []).append(doc[match.end() : end])
    return sections


def test_the_security_document_exists_and_the_readme_links_it() -> None:
    assert DOC.is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/security.md)" in readme


def test_every_test_the_security_document_names_exists() -> None:
    references = REFERENCE.findall(_doc())
    # Far fewer matches than guarantees would mean the pattern, not the document, broke.
    assert len(references) >= len(GUARANTEES)
    missing = [f"{path}::{name}" for path, name in references if not _exists(path, name)]
    assert missing == []


def test_every_guarantee_has_one_section_pinned_by_a_test() -> None:
    sections = _sections()
    for guarantee in GUARANTEES:
        assert len(sections.get(guarantee, [])) == 1, guarantee
        assert REFERENCE.search(sections[guarantee][0]), f"{guarantee} names no test"


def test_every_round_two_finding_has_one_section() -> None:
    sections = _sections()
    for finding in ROUND_TWO:
        assert len(sections.get(finding, [])) == 1, finding
    assert sorted(set(sections) - set(GUARANTEES) - set(ROUND_TWO)) == []


def test_the_checker_notices_a_test_that_does_not_exist() -> None:
    assert _exists("tests/test_tokens.py", "test_empty_signature_is_rejected")
    assert not _exists("tests/test_tokens.py", "test_that_was_never_written")
    assert not _exists("tests/test_no_such_file.py", "test_empty_signature_is_rejected")
