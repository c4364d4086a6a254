"""The playground plugin: a multi-label classifier trained on the dataset's verified labels, served and improved.

The machine-learning part (:mod:`.backbone`, :mod:`.head`, :mod:`.training`, :mod:`.metrics`, :mod:`.predictor`)
does not depend on the web app; the registry, the API, the page and the jobs build on ``imagemonkey.plugin``.
"""
from __future__ import annotations

from . import models  # noqa: F401  (registers the tables on the metadata for migrations)
