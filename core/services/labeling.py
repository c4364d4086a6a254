"""Adding labels to images: catalog names become ImageLabels, unknown names become suggestions."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from ..db.prepared import PreparedWrite
from ..errors import invalid
from ..inputs import LABEL_NAME, check_line
from ..models import Image, ImageLabel, ImageSuggestion, LabelSuggestion
from ..models.types import UTCDateTime, utcnow
from . import contributions

MAX_LABELS_PER_REQUEST = 50
MAX_LABEL_LENGTH = 128


def clean_names(raw: Any) -> list[str]:
    """Validate a list of label names from a client (strings, bounded count and length)."""
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        raise invalid("labels must be a list of strings.", field="labels")
    if len(raw) > MAX_LABELS_PER_REQUEST:
        raise invalid(f"At most {MAX_LABELS_PER_REQUEST} labels at once.", field="labels")
    names = []
    for name in raw:
        check_line(name, "labels")
        if len(name) > MAX_LABEL_LENGTH or not LABEL_NAME.fullmatch(name):  # the OpenAPI document's LABEL
            raise invalid(f"A label name must have 1 to {MAX_LABEL_LENGTH} characters, not all whitespace, and no "
                          "U+0130 (write i).", field="labels")
        name = " ".join(name.strip().lower().split())  # never longer than the name as sent
        if name not in names:
            names.append(name)
    return names


def _upsert_suggestion(dialect: str) -> Any:
    insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[dialect]
    return (insert(LabelSuggestion).values(name=bindparam("name"), usage_count=1, created_at=bindparam("created_at"))
            .on_conflict_do_update(index_elements=[LabelSuggestion.name],
                                   set_={"usage_count": LabelSuggestion.usage_count + 1})
            .returning(LabelSuggestion.id, LabelSuggestion.usage_count))


UPSERT_SUGGESTION = {dialect: PreparedWrite(_upsert_suggestion(dialect), ["name", "created_at"])
                     for dialect in ("sqlite", "postgresql")}


def suggest(dbsession: Any, name: str) -> tuple[int, int]:
    """Count one use of the suggested ``name`` (created on first use); returns ``(id, usage_count)``.

    One atomic upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), so concurrent
    suggestions of the same new name neither race nor fail.
    """
    upsert = UPSERT_SUGGESTION[dbsession.get_bind().dialect.name]
    ((suggestion_id, usage_count),) = upsert.execute(dbsession, {"name": name, "created_at": utcnow()})
    return suggestion_id, usage_count


#: PostgreSQL: the upsert of :func:`suggest` and the log entry (with its counters) as one statement.
SUGGEST_AND_LOG = PreparedWrite(text(contributions.log_and_count_sql(
    before="suggestion AS (INSERT INTO label_suggestion (name, usage_count, created_at) "
           "VALUES (:name, 1, :created_at) ON CONFLICT (name) DO UPDATE "
           "SET usage_count = label_suggestion.usage_count + 1 RETURNING id, usage_count), ",
    target="CAST(suggestion.id AS VARCHAR)", source=" FROM suggestion",
    result="SELECT id, usage_count FROM suggestion"))
    .bindparams(bindparam("created_at", type_=UTCDateTime)), [*contributions.LOG_KEYS, "name"])
SUGGEST_NAME = "label.suggest_name"


def suggest_name(request: Any, name: str) -> int:
    """The request's contributor suggests ``name``: :func:`suggest` and the log entry ``label.suggest_name``;
    returns the name's usage count (one round trip on PostgreSQL)."""
    dbsession = request.dbsession
    if dbsession.get_bind().dialect.name == "postgresql":
        ((_, usage_count),) = SUGGEST_AND_LOG.execute(
            dbsession, {**contributions.log_params(request, SUGGEST_NAME), "name": name})
        return usage_count
    suggestion_id, usage_count = suggest(dbsession, name)
    contributions.record(request, SUGGEST_NAME, suggestion_id)
    return usage_count


def insert_once(dbsession: Any, row: Any) -> bool:
    """Insert ``row`` in a savepoint; False when a unique constraint says a concurrent request inserted it first."""
    try:
        with dbsession.begin_nested():
            dbsession.add(row)
            dbsession.flush()
    except IntegrityError:
        return False
    return True


def add_labels(request: Any, image: Image, names: list[str]) -> tuple[list[ImageLabel], list[str]]:
    """Label ``image`` with ``names``; returns (new ImageLabels, names that became suggestions).

    Labels the image already has (or gets from a concurrent request meanwhile: unique constraints, savepoints)
    are skipped. Each new label is logged and announced through ``imagemonkey_image_labeled``. Work
    done for no one (``request.contributor`` is None: e.g. a label the crowd verified in a background
    settlement) is stored without a contributor and not logged, since nobody can be reverted for it.
    """
    catalog = request.registry["catalog"]
    contributor_id = request.contributor.id if request.contributor is not None else None
    dbsession = request.dbsession
    existing = set(dbsession.scalars(select(ImageLabel.label).where(ImageLabel.image_id == image.id)))
    created: list[ImageLabel] = []
    suggested: list[str] = []
    for name in names:
        resolved = catalog.resolve(name)
        if resolved is None:
            suggested.append(name)
            suggestion_id, _ = suggest(dbsession, name)
            already = dbsession.scalar(select(ImageSuggestion.id).where(
                ImageSuggestion.image_id == image.id, ImageSuggestion.suggestion_id == suggestion_id))
            if already is None and insert_once(dbsession, ImageSuggestion(
                    image_id=image.id, suggestion_id=suggestion_id, contributor_id=contributor_id)):
                if contributor_id is not None:
                    contributions.record(request, "label.suggest", image.id)
            continue
        if resolved in existing:
            continue
        existing.add(resolved)
        image_label = ImageLabel(image_id=image.id, label=resolved, contributor_id=contributor_id)
        if insert_once(dbsession, image_label):
            created.append(image_label)
    if created:
        dbsession.execute(update(Image).where(Image.id == image.id)
                          .values(label_count=Image.label_count + len(created)))
        for image_label in created if contributor_id is not None else ():
            contributions.record(request, "label.add", image_label.id, label=image_label.label)
        request.registry.pm.hook.imagemonkey_image_labeled(request=request, image=image, image_labels=created)
    return created, suggested
