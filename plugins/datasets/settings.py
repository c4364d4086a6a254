"""The datasets plugin's declared settings."""
from __future__ import annotations

from imagemonkey.plugin import Setting, as_choice, as_int, as_list, as_str

from .formats import FORMATS

SCHEDULES = ("off", "daily", "weekly", "monthly")
SETTINGS = [
    Setting("datasets.license", "CC0-1.0", as_str(), "SPDX id of the dataset's licence, shown on every page."),
    Setting("datasets.schedule", "off", as_choice(*SCHEDULES), "Build a release of the public dataset on this period."),
    Setting("datasets.formats", list(FORMATS), as_list(), "Archive formats a release holds unless told otherwise."),
    Setting("datasets.max_export_images", 10000, as_int(min=1),
            "Most images GET /api/v1/export streams; past that, build a release."),
    Setting("datasets.shard_images", 1000, as_int(min=1, max=1_000_000), "Images per WebDataset shard."),
    Setting("datasets.batch_images", 200, as_int(min=1, max=5000), "Images read from the database per batch."),
    Setting("datasets.signed_url_seconds", 3600, as_int(min=60, max=7 * 24 * 3600),
            "Lifetime of the signed URLs downloads redirect to on object storage."),
    Setting("datasets.accel_redirect", "", as_str(),
            "Behind nginx: a URL prefix of an internal location aliasing the file store's folder (e.g. /_blobs/); "
            "downloads then answer X-Accel-Redirect and nginx sends the bytes. Empty: the app sends them."),
    Setting("datasets.citation_title", "ImageMonkey: a crowdsourced open image dataset", as_str(),
            "The dataset's title in citations and the dataset card."),
    Setting("datasets.citation_authors", "ImageMonkey contributors", as_str(), "Authors named in citations."),
    Setting("datasets.url", "", as_str(), "The site's public URL named in citations (default: the request's)."),
]
