"""The contribution log in words: what each entry was, where it leads, and how a count of each kind reads.

Core says this for its own kinds; plugins say it for theirs through ``imagemonkey_describe_contributions`` and
``imagemonkey_contribution_kinds``. An entry nobody describes still reads as words, never as ``owner.verb``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ..models import ImageLabel, LabelSuggestion

CORE_KINDS = {"image.donate": "donations", "image.status": "status changes", "label.add": "labels added",
              "label.suggest": "new labels suggested for pictures",
              "label.suggest_name": "names suggested to the catalog", "contributor.revert": "contributors reverted",
              "account.delete": "accounts deleted", "caption.add": "captions written",
              "caption.vote": "captions voted on"}


def spoken(kind: str) -> str:
    """``kind`` as words when no owner says how it reads: ``report.decision_revert`` → "report decision revert"."""
    return kind.replace(".", " ").replace("_", " ")


def int_ids(documents: list[dict[str, Any]]) -> list[int]:
    """The entries' targets that are whole numbers."""
    return [int(doc["target_id"]) for doc in documents if str(doc["target_id"]).isdigit()]


def image_entry(text: str) -> Callable[[dict[str, Any]], None]:
    """Describe an entry whose target is an image: ``text`` with ``{id}``, linked to the image page."""
    def describe(doc: dict[str, Any]) -> None:
        doc["text"], doc["url"] = text.format(id=doc["target_id"]), f"/images/{doc['target_id']}"
    return describe


def describe_labels(dbsession: Any, documents: list[dict[str, Any]]) -> None:
    """``label.add`` entries (their target is an image label): the label and its image, one query."""
    rows = {row.id: row for row in dbsession.execute(
        select(ImageLabel.id, ImageLabel.image_id, ImageLabel.label).where(ImageLabel.id.in_(int_ids(documents))))}
    for doc in documents:
        row = rows.get(int(doc["target_id"])) if str(doc["target_id"]).isdigit() else None
        if row is None:
            doc["text"] = "Added a label that has since been removed"
        else:
            doc["text"], doc["url"] = f'Labelled image {row.image_id} "{row.label}"', f"/images/{row.image_id}"


def describe_names(dbsession: Any, documents: list[dict[str, Any]]) -> None:
    """``label.suggest_name`` entries (their target is a suggested name): the name, one query."""
    names = dict(dbsession.execute(select(LabelSuggestion.id, LabelSuggestion.name)
                                   .where(LabelSuggestion.id.in_(int_ids(documents)))).all())
    for doc in documents:
        name = names.get(int(doc["target_id"])) if str(doc["target_id"]).isdigit() else None
        doc["text"] = f'Suggested the name "{name}" for the catalog' if name else "Suggested a name for the catalog"


SINGLE = {"image.donate": image_entry("Donated image {id}"),
          "image.status": image_entry("Changed the status of image {id}"),
          "label.suggest": image_entry("Suggested a label the catalog lacks for image {id}")}

DELETED_WORDS = {"keep": "Deleted the account, keeping its contributions credited to no one",
                 "revert": "Deleted the account, reverting every contribution"}


def describe_core(dbsession: Any, documents: list[dict[str, Any]]) -> None:
    """Core's own kinds."""
    for doc in documents:
        if doc["kind"] in SINGLE:
            SINGLE[doc["kind"]](doc)
        elif doc["kind"] == "contributor.revert":
            doc["text"] = f"Reverted contributor {doc['target_id']}"
        elif doc["kind"] == "account.delete":
            doc["text"] = DELETED_WORDS.get(doc["target_id"], "Deleted the account")
    describe_labels(dbsession, [doc for doc in documents if doc["kind"] == "label.add"])
    describe_names(dbsession, [doc for doc in documents if doc["kind"] == "label.suggest_name"])


def describe(request: Any, documents: list[dict[str, Any]]) -> None:
    """Add ``text`` (and ``url`` where the entry leads somewhere) to each log entry's document, in place."""
    describe_core(request.dbsession, documents)
    request.registry.pm.hook.imagemonkey_describe_contributions(request=request, documents=documents)
    for doc in documents:
        doc.setdefault("text", f"{spoken(doc['kind']).capitalize()} {doc['target_id']}")


def kind_words(registry: Any, kinds: list[str]) -> dict[str, str]:
    """How a count of each of ``kinds`` reads ("donations", "answers"), by their owners or spoken."""
    words = dict(CORE_KINDS)
    for answer in registry.pm.hook.imagemonkey_contribution_kinds():
        words.update(answer or {})
    return {kind: words.get(kind, spoken(kind)) for kind in kinds}
