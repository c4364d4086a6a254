"""Every Markdown file a doc names (``API.md``, ``docs/query.md``, links) exists: no pointer to a missing page."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"(?<![\w/.-])([\w./-]+\.md)\b")
#: Files inside every dataset release (docs/plugins/datasets.md), named by the docs but no pages of this repository
RELEASE_FILES = {"CHANGES.md"}


def test_docs_name_only_files_that_exist() -> None:
    missing = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted(ROOT.glob("plugins/*/README.md"))]:
        for name in NAMED.findall(doc.read_text(encoding="utf-8")):
            if name.startswith(("http", "//")) or name in RELEASE_FILES:
                continue
            candidates = [doc.parent / name, ROOT / name, ROOT / "docs" / name]
            if not any(path.is_file() for path in candidates):
                missing.append(f"{doc.relative_to(ROOT)} names {name}")
    assert missing == []
