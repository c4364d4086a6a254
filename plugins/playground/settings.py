"""The playground's settings, declared with core (validated at start-up, typed afterwards)."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import Setting, as_bool, as_float, as_int, as_str, get_setting

SETTINGS = [
    Setting("playground.min_images", 5, as_int(min=1), "Images (verified, with validate) a label needs to be learnt."),
    Setting("playground.max_labels", 200, as_int(min=1), "At most this many labels (the most frequent) per model."),
    Setting("playground.max_images", 50000, as_int(min=1), "At most this many images (the newest) per training."),
    Setting("playground.retrain_every", 86400, as_int(min=0),
            "Seconds between scheduled retrainings (0: no schedule); checked hourly."),
    Setting("playground.retrain_after_labels", 200, as_int(min=0),
            "Retrain once this many eligible image labels were added since the last model (0: never)."),
    Setting("playground.reload_seconds", 2.0, as_float(min=0), "How often a process checks which version is active."),
    Setting("playground.suggest_threshold", 0.9, as_float(min=0.01, max=1.0),
            "A new active model's probability at which a missing label becomes a validation question."),
    Setting("playground.suggest_limit", 500, as_int(min=0), "At most this many suggestions per activation."),
    Setting("playground.suggest_images", 2000, as_int(min=0),
            "At most this many images (newest first, not trained on) are scored for suggestions per activation."),
    Setting("playground.active_learning", False, as_bool(),
            "Offer label and validate tasks on the images the active model is least sure about first."),
    Setting("playground.exploration", 0.2, as_float(min=0.0, max=1.0),
            "With active learning, the share of tasks chosen in the usual order instead (exploration)."),
    Setting("playground.uncertain_pool", 50, as_int(min=1),
            "With active learning, tasks come from this many most uncertain images first, one per look-alike group."),
    Setting("playground.uncertain_images", 5000, as_int(min=0),
            "With active learning, at most this many images that need answers (newest first) are scored per model."),
    Setting("playground.threads", 1, as_int(min=1),
            "torch's intra-op threads in this process (requests run in parallel already; 1 avoids oversubscription)."),
    Setting("playground.similar_k", 50, as_int(min=1, max=1000),
            "How many nearest neighbours of image ID the query term similar:ID matches."),
    Setting("playground.similar_embed_batch", 256, as_int(min=0),
            "Public pictures without an embedding that each similar-index update (every 5 minutes) embeds."),
    Setting("playground.similar_segment_size", 250_000, as_int(min=1),
            "The most pictures one segment of the similar-pictures index holds (its recall falls as one grows)."),
    Setting("playground.spread_k", 10, as_int(min=0, max=100),
            "A verified image label becomes a look-alike question on at most this many nearest neighbours (0: off)."),
    Setting("playground.spread_max_distance", 0.5, as_float(min=0.0, max=2.0),
            "Look-alikes farther than this cosine distance from the verified picture are not asked about."),
    Setting("playground.spread_daily", 2000, as_int(min=0),
            "At most this many look-alike questions are created per 24 hours (all labels together)."),
    Setting("playground.duplicates_max_distance", 0.3, as_float(min=0.0, max=2.0),
            "Pictures within this cosine distance of each other are offered to moderators as near duplicates "
            "(flips, crops, re-encodes of one photograph measure under 0.26; different photographs over 0.45)."),
    Setting("playground.duplicates_k", 10, as_int(min=1, max=100),
            "How many nearest neighbours of each newly embedded picture are checked for near duplicates."),
    Setting("playground.duplicates_per_run", 5000, as_int(min=1),
            "At most this many newly embedded pictures are looked up per near-duplicate run (every 10 minutes)."),
    Setting("playground.duplicates_max_members", 20, as_int(min=2, max=200),
            "A near-duplicate cluster grows to at most this many pictures."),
    Setting("playground.rate", "60/minute", as_str(),
            "Prediction requests per client address: N/second, N/minute, ... or off."),
]


def setting(request_or_registry: Any, key: str) -> Any:
    """The typed value of a playground setting."""
    return get_setting(request_or_registry, key)
