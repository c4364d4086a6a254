"""The metadata files of a release: the dataset card, the index (images.jsonl), Croissant, the citation, the
changes, and the checksums; and what they say about the release (its info and this site's trust rule)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import app_request, get_setting

from .card import dataset_card, summary_text
from .changes import changes_md, diff
from .citation import ReleaseInfo, citation_cff
from .croissant import croissant
from .files import fetch_blob, sha256_of
from .geometry import instances
from .models import Release
from .snapshot import Summary, object_attributes, records
from .writers.common import file_name


def trust_rule(registry: Any) -> str:
    """How a label becomes verified here, in words."""
    hook = getattr(registry.pm.hook, "validate_states", None)
    if hook is None or not hook.has_spec():
        return ("this site runs without the validate plugin, so no label is verified by votes; every label is "
                "as its contributor gave it.")
    return (f"contributors answer yes, no or unsure to \"is there a … in this picture?\". Each answer is weighted "
            f"by how reliable that contributor has been (agreement with settled answers). A label is verified when, "
            f"after at least {get_setting(registry, 'validate.min_votes')} votes, the weighted answers make it at "
            f"least {get_setting(registry, 'validate.verify_confidence'):.0%} likely to be right, and rejected when "
            "they make it that likely to be wrong. Contested labels stay open.")


def release_info(registry: Any, release: Release, digest: str) -> ReleaseInfo:
    return ReleaseInfo(version=release.version, revision=release.revision,
                       date=release.created_at.strftime("%Y-%m-%d"), license=release.license,
                       title=get_setting(registry, "datasets.citation_title"),
                       authors=get_setting(registry, "datasets.citation_authors"),
                       url=get_setting(registry, "datasets.url") or "https://imagemonkey.io",
                       digest=digest, query=release.query, include_unverified=release.include_unverified)


def _against(registry: Any, release: Release) -> tuple[str | None, str | None]:
    """The release CHANGES.md compares with (its name and snapshot key): the previous revision, else the newest
    ready release made before this one."""
    with app_request(registry) as request:
        if release.previous_id is not None:
            other = request.dbsession.get(Release, release.previous_id)
        else:
            other = request.dbsession.scalar(select(Release).where(
                Release.status.in_(("ready", "withdrawn")), Release.id < release.id, Release.snapshot_key.is_not(None))
                .order_by(Release.id.desc()).limit(1))
        if other is None or other.snapshot_key is None:
            return None, None
        return f"{other.version} (revision {other.revision})", other.snapshot_key


def write_metadata(registry: Any, release: Release, snapshot: Path, summary: Summary, work: Path,
                   archives: list[tuple[Path, str]], takedown: dict[str, Any] | None) -> list[tuple[Path, str]]:
    """README.md, images.jsonl, croissant.json, CITATION.cff, CHANGES.md and SHA256SUMS next to the archives."""
    out = work / "files"
    info = release_info(registry, release, summary.digest)
    listed = [{"name": path.name, "bytes": path.stat().st_size, "sha256": sha256_of(path)} for path, _ in archives]
    write_index(snapshot, out / "images.jsonl")
    index = {"name": "images.jsonl", "bytes": (out / "images.jsonl").stat().st_size,
             "sha256": sha256_of(out / "images.jsonl")}
    (out / "README.md").write_text(dataset_card(info, summary, release.formats.split(), trust_rule(registry)),
                                   encoding="utf-8")
    (out / "croissant.json").write_text(json.dumps(croissant(info, summary_text(info, summary), index, listed),
                                                   indent=2) + "\n", encoding="utf-8")
    (out / "CITATION.cff").write_text(citation_cff(info), encoding="utf-8")
    against, key = _against(registry, release)
    found = diff(fetch_blob(registry, key, work / "against.jsonl"), snapshot) if key else None
    (out / "CHANGES.md").write_text(changes_md(release.version, release.revision, against, found, takedown),
                                    encoding="utf-8")
    meta = [(out / name, "metadata") for name in ("README.md", "images.jsonl", "croissant.json", "CITATION.cff",
                                                  "CHANGES.md")]
    sums = "".join(f"{sha256_of(path)}  {path.name}\n" for path, _ in sorted(archives + meta, key=lambda a: a[0].name))
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return meta + [(out / "SHA256SUMS", "metadata")]


def write_index(snapshot: Path, target: Path) -> None:
    """``images.jsonl``: one line per image (id, file name, size, format, sha256, labels with their state and
    attributes, and outlines as boxes and polygons), the release's index that needs no archive (Croissant's record
    set)."""
    with open(target, "w", encoding="utf-8") as out:
        for record in records(snapshot):
            out.write(json.dumps({
                "image_id": record["id"], "file_name": file_name(record), "width": record["width"],
                "height": record["height"], "format": record["format"], "sha256": record["sha256"],
                "labels": [{"label": label["label"], "state": label["state"],
                            "attributes": label.get("attributes", {})} for label in record["labels"]],
                "objects": [{"label": label, "bbox": list(box), "polygon": [list(p) for p in points],
                             "attributes": attributes}
                            for (label, points, box), attributes in zip(instances(record), object_attributes(record),
                                                                        strict=True)],
            }, sort_keys=True, separators=(",", ":")) + "\n")
