"""The report plugin's settings (``report.*``) and the reasons a report may give."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imagemonkey.plugin import Setting, as_bool, as_float, as_int, as_list, get_setting

REASONS = ("nudity", "violence", "hate", "personal", "copyright", "spam", "other")
REASON_TITLES = {"nudity": "Nudity or sexual content", "violence": "Violence or gore", "hate": "Hate",
                 "personal": "A private person or personal data", "copyright": "Copyright",
                 "spam": "Spam or not a photo", "other": "Something else (say what)"}
DECISIONS = ("keep", "remove", "remove_and_revert")
NUDENET_DEFAULT_CLASSES = ("FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED", "FEMALE_BREAST_EXPOSED",
                           "ANUS_EXPOSED", "BUTTOCKS_EXPOSED")

SETTINGS = [
    Setting("report.hide_threshold", 3.0, as_float(min=0.1), "Weighted report score that quarantines an image."),
    Setting("report.base_weight", 1.0, as_float(min=0.0), "Weight of a report by an established contributor of "
            "unknown standing; multiplied by 2 x validate's agreement rate when that is known."),
    Setting("report.max_weight", 2.0, as_float(min=0.0), "Most one non-moderator's report can weigh."),
    Setting("report.fresh_weight", 0.1, as_float(min=0.0), "Weight of a report from a fresh anonymous token."),
    Setting("report.fresh_hours", 72, as_int(min=0), "A token younger than this with no validation record is fresh "
            "(72: the age before validate gives any standing, validate.standing_min_age_hours)."),
    Setting("report.fresh_image_cap", 1.0, as_float(min=0.0), "Most that fresh tokens' reports add to one image."),
    Setting("report.hourly_weight_cap", 4.0, as_float(min=0.0), "Most weight one reporter adds in an hour."),
    Setting("report.fresh_hourly_weight_cap", 0.3, as_float(min=0.0), "The same for a fresh token."),
    Setting("report.max_per_hour", 30, as_int(min=1), "Reports one contributor may make per hour (then 429)."),
    Setting("report.dismissal_penalty", 0.5, as_float(min=0.0), "Each dismissed report (beyond upheld ones) "
            "divides a reporter's weight by 1 + this."),
    Setting("report.min_evidence", 3.0, as_float(min=0.0), "Validation record a reliability needs to count."),
    Setting("report.screening", True, as_bool(), "Screen every donation with the registered screeners."),
    Setting("report.nudenet_classes", list(NUDENET_DEFAULT_CLASSES), as_list(), "NudeNet classes that are a hit."),
    Setting("report.nudenet_threshold", 0.5, as_float(min=0.0, max=1.0), "NudeNet score from which a class hits."),
    Setting("report.auto_unlock", True, as_bool(), "Pre-moderation: unlock a clean donation of a donor in good "
            "standing automatically."),
]


@dataclass(frozen=True)
class Policy:
    """The trust-weighting settings, read once per request."""

    hide_threshold: float
    base_weight: float
    max_weight: float
    fresh_weight: float
    fresh_hours: int
    fresh_image_cap: float
    hourly_weight_cap: float
    fresh_hourly_weight_cap: float
    max_per_hour: int
    dismissal_penalty: float
    min_evidence: float

    @classmethod
    def of(cls, request_or_registry: Any) -> Policy:
        """The policy from the declared ``report.*`` settings."""
        return cls(**{name: get_setting(request_or_registry, f"report.{name}") for name in cls.__dataclass_fields__})
