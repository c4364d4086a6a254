"""Validate's hook implementations: core's hooks and its own ``validate_*`` hooks."""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, exists, select

from imagemonkey.plugin import Image, JobContext, JobSpec, get_setting, hookimpl, public_route_url, render_fragment

from . import browse_order, contribution_words, counters, person_counts, query, recounts, standing, tasks
from .establishing import EVERY_SECONDS, establish_job
from .exporter import ImageFolderExporter
from .merge import merge_contributor
from .models import Established, Subject, Trust, Vote
from .openapi import PATHS
from .person_counts import count_owned
from .settlement import lock_settlement, settle_pending
from .subjects import IMAGE_LABEL, get_subject, new_subject, policy_of, set_image_status
from .voting import clear_votes, recompute, remove_subject


@hookimpl
def validate_subject_kinds() -> list[dict[str, Any]]:
    return [{"kind": IMAGE_LABEL, "question": "Is there {article} {label} in this picture?",
             "describe": tasks.describe_image_labels}]


@hookimpl
def validate_subject_changed(request: Any, kind: str, subject_id: int, image_id: int, label: str,
                             owner_id: int | None) -> None:
    dbsession = request.dbsession
    image = dbsession.get(Image, image_id)
    if image is None:
        raise ValueError(f"validate_subject_changed: no image {image_id}")
    lock_settlement(dbsession)
    subject = get_subject(dbsession, kind, subject_id, lock=True)
    if subject is None:
        new_subject(request, kind, subject_id, image, label, owner_id)
        dbsession.flush()
        return
    clear_votes(request, subject)
    dbsession.flush()
    counters.count_state(dbsession, subject.label, subject.state, None)
    counters.count_state(dbsession, label, None, subject.state)
    count_owned(dbsession, [(subject.kind, subject.owner_id, subject.state, None),
                            (subject.kind, owner_id, None, subject.state)])
    subject.image_id, subject.label, subject.owner_id = image.id, label, owner_id
    subject.donor_id, subject.image_status = image.donor_id, image.status
    recompute(request, [subject])


@hookimpl
def validate_standing(request: Any, contributor_ids: list[int]) -> dict[int, dict[str, float]]:
    """Only agreement that cost something counts (:mod:`.standing`), not the consensus's trust."""
    return standing.standing(request, list(contributor_ids))


@hookimpl
def validate_verified_clause(request: Any, image_label_id: Any) -> ColumnElement[bool]:
    """True when the image label is verified: an EXISTS on validate's (kind, subject_id) unique index."""
    return exists(select(Subject.id).where(Subject.kind == IMAGE_LABEL, Subject.subject_id == image_label_id,
                                           Subject.state == "verified"))


@hookimpl
def imagemonkey_verified_image_labels(request: Any, image_label_ids: list[int]) -> list[int]:
    """The image labels the crowd verified, on the (kind, subject_id) unique index (core's image hunt asks)."""
    if not image_label_ids:
        return []
    return list(request.dbsession.scalars(select(Subject.subject_id).where(
        Subject.kind == IMAGE_LABEL, Subject.subject_id.in_(list(image_label_ids)), Subject.state == "verified")))


@hookimpl
def validate_states(request: Any, kind: str, subject_ids: list[int]) -> dict[int, str]:
    """The validation state of each known subject of ``kind`` (unknown ids are left out), in one query."""
    if not subject_ids:
        return {}
    return dict(request.dbsession.execute(select(Subject.subject_id, Subject.state).where(
        Subject.kind == kind, Subject.subject_id.in_(list(subject_ids)))).all())


@hookimpl
def validate_subject_removed(request: Any, kind: str, subject_id: int) -> None:
    subject = get_subject(request.dbsession, kind, subject_id, lock=True)
    if subject is not None:
        remove_subject(request, subject)


@hookimpl
def imagemonkey_image_labeled(request: Any, image: Any, image_labels: list[Any]) -> None:
    for image_label in image_labels:
        new_subject(request, IMAGE_LABEL, image_label.id, image, image_label.label, image_label.contributor_id,
                    image_label_id=image_label.id)


@hookimpl
def imagemonkey_image_status_changed(request: Any, image: Any, old_status: str, new_status: str,
                                     reason: str | None) -> None:
    set_image_status(request, image)


IMAGE_LABEL_SUBJECTS = select(Subject.subject_id, Subject.yes_count, Subject.no_count, Subject.unsure_count,
                              Subject.state, Subject.confidence, Subject.pending_since).where(
    Subject.kind == IMAGE_LABEL, Subject.subject_id.in_(bindparam("ids", expanding=True)))


@hookimpl
def imagemonkey_serialize_image_labels(request: Any, image_labels: list[Any], documents: list[dict[str, Any]]) -> None:
    ids = [image_label.id for image_label in image_labels]
    rows = {row.subject_id: row for row in request.dbsession.execute(IMAGE_LABEL_SUBJECTS, {"ids": ids})}
    prior = policy_of(request).prior
    for image_label, doc in zip(image_labels, documents, strict=True):
        row = rows.get(image_label.id)
        doc["votes"] = {"yes": row.yes_count, "no": row.no_count, "unsure": row.unsure_count} if row else \
            {"yes": 0, "no": 0, "unsure": 0}
        doc["state"] = row.state if row else "unverified"
        doc["confidence"] = round(row.confidence if row else prior, 6)
        doc["settlement"] = "pending" if row and row.pending_since is not None else "settled"


@hookimpl
def imagemonkey_contribution_kinds() -> dict[str, str]:
    return contribution_words.KINDS


@hookimpl
def imagemonkey_describe_contributions(request: Any, documents: list[dict[str, Any]]) -> None:
    contribution_words.describe_votes(request.dbsession, documents)


@hookimpl
def imagemonkey_task_kinds() -> list[str]:
    return ["validate"]


@hookimpl
def imagemonkey_next_task(request: Any, kind: str, label: str | None) -> dict[str, Any] | None:
    if kind != "validate":
        return None
    return tasks.next_task(request, label)


@hookimpl
def imagemonkey_statistics(request: Any) -> dict[str, Any]:
    top = get_setting(request, "validate.statistics_labels")
    return {"validate": counters.statistics(request, top)}


@hookimpl
def imagemonkey_extension_actions(request: Any) -> list[dict[str, Any]]:
    """A question card for the extension's popup and new tab: next task of kind ``validate``, answered by a vote."""
    return [{"id": "validate", "kind": "task", "title": "Validate", "contexts": ["popup"],
             "url": public_route_url(request, "validate.page"),
             "task": {"kind": "validate", "answer": {
                 "path": "/api/v1/image-labels/{image_label_id}/votes", "field": "vote",
                 "batch": {"path": "/api/v1/votes", "list": "votes"},
                 "choices": [{"value": "yes", "key": "y", "title": "Yes"}, {"value": "no", "key": "n", "title": "No"},
                             {"value": "unsure", "key": "u", "title": "Not sure"}]}}}]


@hookimpl
def imagemonkey_statistics_counters() -> list[Any]:
    return [*recounts.recounts(), person_counts.recount()]


@hookimpl
def imagemonkey_profile(request: Any, account: Any, counts: dict[str, int]) -> dict[str, Any]:
    """Verified labels and agreement with the crowd, from validate's counters (:mod:`.person_counts`)."""
    return person_counts.profile(request, account)


@hookimpl
def imagemonkey_navigation(request: Any) -> list[dict[str, Any]]:
    return [{"title": "Validate", "href": request.route_path("validate.page"),
             "description": "Answer yes or no: is this label right?"},
            {"title": "Validate grid", "href": request.route_path("validate.grid_page"),
             "description": "Nine pictures for one label: tick the ones that show it."}]


@hookimpl
def imagemonkey_revert_contributor(request: Any, contributor: Any) -> dict[str, int]:
    """Remove the contributor's votes and recompute what they touched; drop subjects core is about to delete."""
    dbsession = request.dbsession
    lock_settlement(dbsession)
    votes = dbsession.execute(select(Vote.kind, Vote.subject_id, Vote.created_at, Vote.counted)
                              .where(Vote.contributor_id == contributor.id)).all()
    dbsession.execute(delete(Vote).where(Vote.contributor_id == contributor.id))
    dbsession.execute(delete(Trust).where(Trust.contributor_id == contributor.id))
    dbsession.execute(delete(Established).where(Established.contributor_id == contributor.id))
    for kind, subject_id in sorted({(kind, subject_id) for kind, subject_id, _, _ in votes}):
        subject = get_subject(dbsession, kind, subject_id, lock=True)
        if subject is not None:
            recompute(request, [subject])
    counters.uncount_votes(dbsession, Counter(created.strftime("%Y-%m-%d") for _, _, created, counted in votes
                                              if counted))
    for subject in list(dbsession.scalars(select(Subject).where(Subject.owner_id == contributor.id,
                                                                Subject.kind == IMAGE_LABEL))):
        remove_subject(request, subject)
    return {"validate.vote": len(votes)}


@hookimpl
def imagemonkey_openapi_paths() -> dict[str, Any]:
    return PATHS


@hookimpl
def imagemonkey_exporters() -> list[Any]:
    return [ImageFolderExporter()]


def settle_job(ctx: JobContext) -> dict[str, int]:
    """``validate.settle``: settle every subject left pending (by a process that stopped, or a full queue)."""
    return {"settled": settle_pending(ctx.registry)}


@hookimpl
def imagemonkey_jobs() -> list[JobSpec]:
    return [JobSpec("validate.settle", settle_job, every_seconds=60,
                    description="Settle votes left pending (the in-process settler does the rest at once)."),
            JobSpec("validate.standing", establish_job, every_seconds=EVERY_SECONDS,
                    description="Promote contributors with a long, reliable counted record to established "
                                "(anchors of others' standing), and demote those below it.")]


@hookimpl
def imagemonkey_query_prefixes() -> list[Any]:
    return query.prefixes()


@hookimpl
def imagemonkey_browse_orders() -> list[Any]:
    return browse_order.orders()


@hookimpl
def imagemonkey_page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """/me: how often your answers agreed; the image page: a link to check its unverified labels."""
    if page == "me":
        return [{"id": "validate-agreement", "slot": "section",
                 "html": render_fragment(request, "imagemonkey_validate:templates/me_agreement.jinja2")}]
    if page == "image":
        open_labels = [label["label"] for label in context["image"]["labels"]
                       if label.get("state") in ("unverified", "contested")]
        if open_labels:
            return [{"id": "validate-check", "slot": "action", "html": render_fragment(
                request, "imagemonkey_validate:templates/image_action.jinja2", {"labels": open_labels[:3]})}]
    return None


@hookimpl
def imagemonkey_contributor_merged(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """A claim on log-in: the anonymous contributor's votes, trust and owned subjects become the account's."""
    return merge_contributor(request, source_id, target_id)
