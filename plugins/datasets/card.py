"""``README.md``: the release's dataset card, in the Hugging Face style (YAML front matter, then prose)."""
from __future__ import annotations

from .citation import ReleaseInfo, bibtex, citation_cff
from .formats import FORMATS
from .snapshot import Summary

HF_LICENSES = {"CC0-1.0": "cc0-1.0", "CC-BY-4.0": "cc-by-4.0", "CC-BY-SA-4.0": "cc-by-sa-4.0"}


def _size_category(images: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if images < limit:
            return name
    return "n>1M"


def summary_text(info: ReleaseInfo, summary: Summary) -> str:
    """One paragraph saying what the release is."""
    counts = summary.counts
    scope = f"the images matching the query `{info.query}`" if info.query else "every public image"
    return (f"ImageMonkey release {info.version} (revision {info.revision}): {scope} of ImageMonkey, a crowdsourced "
            f"open image dataset, with {counts['images']} images, {counts['image_labels']} image labels over "
            f"{counts['labels']} labels and {counts['shapes']} outlines.")


def _label_rows(summary: Summary) -> list[str]:
    rows = ["| label | images in release | verified | verified share | outlines |", "|---|---:|---:|---:|---:|"]
    for name in sorted(summary.per_label, key=lambda n: (-summary.per_label[n]["kept"], n)):
        row = summary.per_label[name]
        share = f"{row['verified'] / row['all']:.0%}" if row["all"] else "–"
        rows.append(f"| {name} | {row['kept']} | {row['verified']} | {share} | {row['shapes']} |")
    return rows


def dataset_card(info: ReleaseInfo, summary: Summary, formats: list[str], trust_rule: str) -> str:
    """The full card."""
    counts = summary.counts
    choice = ("**include_unverified: yes** — labels the crowd has not verified yet (unverified and contested) are "
              "included; rejected labels never are. Check each label's `state`." if info.include_unverified else
              "**include_unverified: no** — only labels the crowd verified are included "
              f"({counts['left_out']} image labels that are not verified were left out).")
    lines = [
        "---",
        f"license: {HF_LICENSES.get(info.license, 'other')}",
        f"pretty_name: {info.title}",
        "task_categories:", "- object-detection", "- image-classification",
        "size_categories:", f"- {_size_category(counts['images'])}",
        "tags:", "- crowdsourced", "- imagemonkey",
        "---", "",
        f"# {info.title} — release {info.version}", "",
        "## Dataset summary", "", summary_text(info, summary), "",
        f"- Version: `{info.version}`, revision {info.revision}, released {info.date}",
        f"- Digest: `sha256:{info.digest}` (over every image's content hash with its labels and shapes; "
        "the same data gives the same digest and byte-identical archives)",
        f"- Licence: {info.license}",
        f"- Labels: {choice}", "",
        "## Dataset structure", "",
        "Every archive holds the same images and labels, in the layout its format's own tools read:", "",
        *[f"- `{name}`: {FORMATS[name]}" for name in formats], "",
        "Fields of every image: `image_id` (ImageMonkey's id), the picture (its stored original: metadata such as "
        "GPS removed, EXIF orientation applied), `width` and `height` in pixels of the upright picture, `sha256` "
        "of its bytes, `labels` (label names from ImageMonkey's catalog; sublabels are written `dog/head`) and "
        "`objects`: outlines as boxes `[x, y, width, height]` (COCO, ImageFolder) or polygons, in pixels with the "
        "origin top left. Ellipses are written as 32-point polygons. Splits: in VOC and YOLO every tenth image "
        "(by id) is in `val`; the ImageFolder archive holds one `train` split.", "",
        "## How the data was made", "",
        "- **Donated**: people donate pictures they may share, from the browser extension, the web page or "
        "scripts, with a first label. Each picture is decoded and checked before it is kept; near copies of "
        "removed pictures are refused. New donations are screened and reviewed by moderators before they are public.",
        "- **Labelled**: anyone with a client token adds labels from the catalog; names the catalog lacks become "
        "suggestions, not labels.",
        f"- **Verified**: {trust_rule}",
        "- **Outlined**: contributors draw rectangles, ellipses and polygons around labelled objects; every "
        "revision is kept.", "",
        "## Counts per label", "", *_label_rows(summary), "",
        "## Licence", "",
        f"{info.license}. The pictures were donated for an open dataset; see {info.url} for the terms.", "",
        "## Citation", "", "```bibtex", bibtex(info).rstrip(), "```", "", "```yaml", citation_cff(info).rstrip(),
        "```", "",
        "## Known limitations and biases", "",
        "- Contributors choose what to photograph and to label: common household objects, pets and street scenes "
        "are over-represented, and labels follow the catalog's (English) vocabulary.",
        "- Verification is by crowd votes; a verified label is very likely, not certainly, right. Outlines are "
        "not verified unless the card says so, and many labelled objects have no outline.",
        "- An image that is taken down later (a report, a revert, a legal request) leaves the dataset in a new "
        "revision of this release; use the newest revision.",
        "- Images with no kept label are included without labels (useful as negatives, or to leave out).", "",
    ]
    return "\n".join(lines)
