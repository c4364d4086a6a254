"""``croissant.json``: MLCommons Croissant 1.0 metadata of a release (what ``mlcroissant`` validates and iterates).

The record set ``images`` reads the release's ``images.jsonl`` (one line per image), so a Croissant reader gets every
image's id, size, format and content hash without unpacking an archive; the archives are listed as distribution.
"""
from __future__ import annotations

from typing import Any

from .citation import ReleaseInfo, bibtex

CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
    "replace": "cr:replace", "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform", "samplingRate": "cr:samplingRate", "equivalentProperty": "cr:equivalentProperty",
}
LICENSE_URLS = {"CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
                "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}
_FIELDS = (("image_id", "sc:Integer", "The image's id in ImageMonkey."),
           ("file_name", "sc:Text", "The picture's file name in every archive (<image_id>.<ext>)."),
           ("format", "sc:Text", "jpeg, png, webp or gif."),
           ("width", "sc:Integer", "Width in pixels (upright)."),
           ("height", "sc:Integer", "Height in pixels (upright)."),
           ("sha256", "sc:Text", "SHA-256 of the picture's bytes."))


def _field(name: str, data_type: str, description: str) -> dict[str, Any]:
    return {"@type": "cr:Field", "@id": f"images/{name}", "name": f"images/{name}", "description": description,
            "dataType": data_type,
            "source": {"fileObject": {"@id": "images.jsonl"}, "extract": {"column": name}}}


def croissant(info: ReleaseInfo, description: str, index: dict[str, Any],
              files: list[dict[str, Any]]) -> dict[str, Any]:
    """The Croissant document. ``index`` is ``images.jsonl``'s ``{"name", "bytes", "sha256"}``; ``files`` are the
    archives (``{"name", "bytes", "sha256"}``), listed as distribution."""
    distribution: list[dict[str, Any]] = [
        {"@type": "cr:FileObject", "@id": item["name"], "name": item["name"], "contentUrl": item["name"],
         "contentSize": f"{item['bytes']} B", "sha256": item["sha256"],
         "encodingFormat": "application/x-tar" if item["name"].endswith(".tar") else "application/zip"}
        for item in files]
    document: dict[str, Any] = {
        "@context": CONTEXT, "@type": "sc:Dataset", "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": f"imagemonkey-{info.version}", "description": description,
        "version": _semver(info.version, info.revision), "license": LICENSE_URLS.get(info.license, info.license),
        "url": info.url, "datePublished": info.date, "citeAs": bibtex(info),
        "creator": {"@type": "sc:Organization", "name": info.authors},
        "keywords": ["computer vision", "object detection", "image classification", "crowdsourcing"],
        "isLiveDataset": False, "distribution": distribution, "recordSet": [],
    }
    distribution.append({"@type": "cr:FileObject", "@id": "images.jsonl", "name": "images.jsonl",
                         "contentUrl": "images.jsonl", "contentSize": f"{index['bytes']} B",
                         "sha256": index["sha256"], "encodingFormat": "application/jsonlines"})
    document["recordSet"].append({
        "@type": "cr:RecordSet", "@id": "images", "name": "images",
        "description": "One record per image of the release.", "key": {"@id": "images/image_id"},
        "field": [_field(*spec) for spec in _FIELDS]})
    return document


def _semver(version: str, revision: int) -> str:
    """Croissant wants MAJOR.MINOR.PATCH: a dotted numeric version is padded, anything else becomes 0.0.revision."""
    parts = version.split(".")
    if all(part.isdigit() for part in parts) and len(parts) <= 3:
        padded = (parts + ["0", "0"])[:3]
        return ".".join(str(int(part)) for part in padded)
    return f"0.0.{revision}"
