"""Core models: contributors, tokens, images, image labels, suggestions, captions, the contribution log, jobs."""
from .caption import Caption, CaptionVote
from .contribution import Contribution
from .contributor import Contributor, Token
from .image import Image, ImageNearDuplicate, ImageStatusChange
from .job import JOB_STATES, Job
from .label import ImageLabel, ImageSuggestion, LabelSuggestion, PromotedLabel
from .person import PersonDaily, PersonKindWeek, PersonLabel, PersonLabelWeek, PersonTotal, PersonWeek
from .stats import StatActive, StatDaily, StatImageStatus, StatLabel

__all__ = ["Caption", "CaptionVote",
           "Contribution", "Contributor", "Token", "Image", "ImageNearDuplicate", "ImageStatusChange", "ImageLabel",
           "ImageSuggestion", "LabelSuggestion", "PromotedLabel", "Job", "JOB_STATES", "PersonDaily", "PersonTotal",
           "PersonWeek", "PersonKindWeek", "PersonLabel", "PersonLabelWeek", "StatActive", "StatDaily",
           "StatImageStatus", "StatLabel"]
