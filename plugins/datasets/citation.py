"""How to cite a release: ``CITATION.cff`` (Citation File Format 1.2.0) and a BibTeX entry."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass
class ReleaseInfo:
    """What every metadata file says about a release."""

    version: str
    revision: int
    date: str  # YYYY-MM-DD
    license: str
    title: str
    authors: str
    url: str
    digest: str
    query: str | None
    include_unverified: bool


def citation_cff(info: ReleaseInfo) -> str:
    """The release's ``CITATION.cff``."""
    q = json.dumps  # YAML accepts JSON strings
    return "\n".join([
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {q(info.title)}",
        f"version: {q(info.version if info.revision == 1 else f'{info.version} (revision {info.revision})')}",
        f"date-released: {info.date}",
        f"license: {q(info.license)}",
        f"url: {q(info.url)}",
        "authors:",
        f"  - name: {q(info.authors)}",
        "identifiers:",
        "  - type: other",
        f"    value: {q('sha256:' + info.digest)}",
        '    description: "The release digest: a hash over every image\'s content hash with its labels and shapes."',
        "keywords:", "  - computer vision", "  - object detection", "  - crowdsourcing", "",
    ])


def bibtex(info: ReleaseInfo) -> str:
    """A BibTeX ``@misc`` entry for the release."""
    key = "imagemonkey_" + re.sub(r"[^0-9A-Za-z]+", "_", info.version)
    version = info.version if info.revision == 1 else f"{info.version}, revision {info.revision}"
    return "\n".join([
        f"@misc{{{key},",
        f"  title = {{{{{info.title}}}}},",
        f"  author = {{{info.authors}}},",
        f"  year = {{{info.date[:4]}}},",
        f"  version = {{{version}}},",
        f"  url = {{{info.url}}},",
        f"  note = {{Licence {info.license}; digest sha256:{info.digest}}}",
        "}", "",
    ])
