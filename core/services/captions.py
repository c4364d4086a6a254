"""Captions: adding one, voting, locking, the settled caption of images, and undoing a contributor's captions.

Score rule: a caption's score is ``up - down``. An image's caption is its locked caption if a moderator locked one;
otherwise the caption with the highest score among those scoring at least :data:`SETTLED_SCORE` (ties: the older
one); otherwise none.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update

from ..errors import ApiError, invalid
from ..inputs import check_line
from ..models import Caption, CaptionVote
from . import contributions

SETTLED_SCORE = 2
MIN_TEXT, MAX_TEXT = 3, 200
MAX_CAPTIONS_PER_CONTRIBUTOR = 5  # per image
LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", re.IGNORECASE)
MAX_LANGUAGE = 35
SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")
VOTES = {"up": 1, "down": -1}


def clean_text(raw: Any) -> str:
    """One sentence of MIN_TEXT..MAX_TEXT characters (whitespace collapsed), or a 422."""
    if not isinstance(raw, str):
        raise invalid("text must be a string.", field="text", code="invalid_caption")
    check_line(raw, "text")
    text = " ".join(raw.split())
    if not MIN_TEXT <= len(text) <= MAX_TEXT:
        raise invalid(f"A caption has {MIN_TEXT} to {MAX_TEXT} characters.", field="text", code="caption_length")
    if SENTENCE_BREAK.search(text):
        raise invalid("A caption is one sentence: no '.', '!' or '?' followed by more text.", field="text",
                      code="not_one_sentence")
    return text


def clean_language(raw: Any) -> str:
    """A BCP-47-like tag (``en``, ``de-AT``, ``zh-Hant``) normalised: language lower case, 2-letter region upper."""
    if not isinstance(raw, str) or len(raw) > MAX_LANGUAGE or not LANGUAGE.fullmatch(raw):
        raise invalid("language must be a language tag such as 'en' or 'de-AT'.", field="language",
                      code="invalid_language")
    first, *rest = raw.split("-")
    return "-".join([first.lower(), *(part.upper() if len(part) == 2 else part for part in rest)])


def add_caption(request: Any, image: Any, text: str, language: str) -> Caption:
    """The request's contributor captions ``image`` (logged as ``caption.add``); a 409 past the per-image limit."""
    dbsession = request.dbsession
    contributor_id = request.contributor.id
    mine = dbsession.scalar(select(func.count()).select_from(Caption).where(
        Caption.image_id == image.id, Caption.contributor_id == contributor_id))
    if mine >= MAX_CAPTIONS_PER_CONTRIBUTOR:
        raise ApiError(409, "caption_limit", f"At most {MAX_CAPTIONS_PER_CONTRIBUTOR} captions per image each.")
    caption = Caption(image_id=image.id, contributor_id=contributor_id, text=text, language=language, up=0, down=0,
                      locked=False)
    dbsession.add(caption)
    dbsession.flush()
    contributions.record(request, "caption.add", caption.id)
    return caption


def vote(request: Any, caption: Caption, value: int) -> None:
    """The request's contributor votes ``value`` (+1/-1) on ``caption``; a second vote replaces the first."""
    dbsession = request.dbsession
    contributor_id = request.contributor.id
    old = dbsession.scalar(select(CaptionVote).where(CaptionVote.caption_id == caption.id,
                                                     CaptionVote.contributor_id == contributor_id).with_for_update())
    if old is None:
        dbsession.add(CaptionVote(caption_id=caption.id, contributor_id=contributor_id, vote=value))
        contributions.record(request, "caption.vote", caption.id)
    elif old.vote != value:
        old.vote = value
    else:
        return
    dbsession.flush()
    recount(dbsession, [caption.id])


def recount(dbsession: Any, caption_ids: list[int]) -> None:
    """Set ``up`` and ``down`` of ``caption_ids`` from their votes."""
    for caption_id in caption_ids:
        up, down = dbsession.execute(select(
            func.coalesce(func.sum(case((CaptionVote.vote > 0, 1), else_=0)), 0),
            func.coalesce(func.sum(case((CaptionVote.vote < 0, 1), else_=0)), 0))
            .where(CaptionVote.caption_id == caption_id)).one()
        dbsession.execute(update(Caption).where(Caption.id == caption_id).values(up=up, down=down))


def lock(dbsession: Any, caption: Caption) -> None:
    """Make ``caption`` its image's caption: it is locked, any other caption of the image unlocked."""
    dbsession.execute(update(Caption).where(Caption.image_id == caption.image_id, Caption.id != caption.id,
                                            Caption.locked.is_(True)).values(locked=False))
    caption.locked = True
    dbsession.flush()


def caption_json(caption: Caption) -> dict[str, Any]:
    """A caption document."""
    return {"id": str(caption.id), "image_id": str(caption.image_id), "text": caption.text,
            "language": caption.language, "up": caption.up, "down": caption.down, "score": caption.up - caption.down,
            "locked": caption.locked}


def settled_captions(dbsession: Any, image_ids: list[int]) -> dict[int, Caption]:
    """Each image's caption by the score rule (images without one are absent)."""
    if not image_ids:
        return {}
    rows = dbsession.scalars(select(Caption).where(
        Caption.image_id.in_(image_ids), or_(Caption.locked.is_(True), Caption.up - Caption.down >= SETTLED_SCORE))
        .order_by(Caption.image_id, Caption.locked.desc(), (Caption.up - Caption.down).desc(), Caption.id))
    found: dict[int, Caption] = {}
    for caption in rows:
        found.setdefault(caption.image_id, caption)
    return found


def export_captions(dbsession: Any, image_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Every caption of ``image_ids`` for an export (text, language, up, down, locked), oldest first, one query."""
    found: dict[int, list[dict[str, Any]]] = {image_id: [] for image_id in image_ids}
    for row in dbsession.scalars(select(Caption).where(Caption.image_id.in_(image_ids)).order_by(Caption.id)):
        found[row.image_id].append({"text": row.text, "language": row.language, "up": row.up, "down": row.down,
                                    "locked": row.locked})
    return found


def revert_captions(dbsession: Any, contributor_id: int) -> dict[str, int]:
    """Remove ``contributor_id``'s votes (recounting what they voted on) and captions (with their votes).

    Returns ``{"caption.add": n, "caption.vote": m}`` without the kinds that are 0 (so a revert's answer names only
    the caption kinds it undid)."""
    voted = list(dbsession.scalars(select(CaptionVote.caption_id).where(CaptionVote.contributor_id == contributor_id)))
    dbsession.execute(delete(CaptionVote).where(CaptionVote.contributor_id == contributor_id))
    own = select(Caption.id).where(Caption.contributor_id == contributor_id)
    dbsession.execute(delete(CaptionVote).where(CaptionVote.caption_id.in_(own)))
    captions = dbsession.execute(delete(Caption).where(Caption.contributor_id == contributor_id)).rowcount
    recount(dbsession, voted)
    counts = {"caption.add": captions, "caption.vote": len(voted)}
    return {kind: count for kind, count in counts.items() if count}
