"""``?order=fewest_votes``: browsed images whose labels have the fewest validation votes first.

An image's place is the vote count of its least-voted label (``validate_subject.vote_count`` of its
``image_label`` subjects), ties broken by image id (oldest first). A page is one range of the
``(kind, vote_count, image_id, id)`` index; each image shows up once, at its least-voted label (a per-row
lookup of the image's other subjects skips the rest). Images without labels have nothing to vote on and are
not in this order (the query ``unlabeled`` finds them).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, not_, or_, select
from sqlalchemy.orm import aliased

from imagemonkey.plugin import BrowseOrder, Image

from .models import Subject
from .subjects import IMAGE_LABEL


def fewest_votes(statement: Select[Any], after: list[int] | None) -> Select[Any]:
    """``statement`` (a ``SELECT image``) ordered by ``(votes of the least-voted label, image id)``, that key
    added, after ``after`` when given."""
    other = aliased(Subject)
    before = or_(other.vote_count < Subject.vote_count,
                 and_(other.vote_count == Subject.vote_count, other.id < Subject.id))
    fewer = exists(select(other.id).where(other.image_id == Subject.image_id, other.kind == IMAGE_LABEL, before))
    statement = (statement.add_columns(Subject.vote_count, Subject.image_id)
                 .join(Subject, Subject.image_id == Image.id)
                 .where(Subject.kind == IMAGE_LABEL, not_(fewer)))
    if after is not None:  # (votes, image id) > after, written so that both databases start the range at the votes
        votes, image_id = after
        statement = statement.where(Subject.vote_count >= votes,
                                    or_(Subject.vote_count > votes, Subject.image_id > image_id))
    return statement.order_by(Subject.vote_count, Subject.image_id)


def orders() -> list[BrowseOrder]:
    """validate's browse orders."""
    return [BrowseOrder("fewest_votes", "Images whose labels have the fewest validation votes first.", fewest_votes)]
