"""Reading the shipped gettext catalogs (.po files) for the translation tests."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any


def read_po(path: Path) -> list[dict[str, Any]]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (list), fuzzy."""
    entries: list[dict[str, Any]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line]
        if not lines:
            continue
        entry: dict[str, Any] = {"msgid": "", "plural": None, "msgstr": [], "fuzzy": False}
        current: list[str] | None = None
        for line in lines:
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            if line.startswith("#"):
                continue
            keyword, _space, rest = line.partition(" ")
            if line.startswith('"'):
                assert current is not None
                current.append(ast.literal_eval(line))
                continue
            current = [ast.literal_eval(rest)]
            if keyword == "msgid":
                entry["msgid_parts"] = current
            elif keyword == "msgid_plural":
                entry["plural_parts"] = current
            else:
                entry["msgstr"].append(current)
        entry["msgid"] = "".join(entry.get("msgid_parts", []))
        entry["plural"] = "".join(entry["plural_parts"]) if "plural_parts" in entry else None
        entry["msgstr"] = ["".join(parts) for parts in entry["msgstr"]]
        entries.append(entry)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid
