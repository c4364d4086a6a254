"""Background jobs over HTTP: one job for its creator or a moderator; the list for moderators."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from ..auth import require_contributor, require_role
from ..errors import bad_request, not_found
from ..jobs.spec import valid_job_name
from ..jobs.store import job_json
from ..models import JOB_STATES, Job
from ..services.pagination import encode_cursor, read_cursor, read_limit
from ..services.visibility import parse_id


@view_config(route_name="api.job", request_method="GET", renderer="json")
def get_job(request: Any) -> dict[str, Any]:
    """A job's state, progress, message, result and error; anyone but its creator or a moderator gets a 404."""
    contributor = require_contributor(request)
    job = request.dbsession.get(Job, parse_id(request.matchdict["id"], "job"))
    if job is None or (job.created_by != contributor.id and not contributor.has_role("moderator")):
        raise not_found("job")
    return job_json(job)


@view_config(route_name="api.jobs", request_method="GET", renderer="json")
def list_jobs(request: Any) -> dict[str, Any]:
    """Jobs newest first, optionally of one ``state`` and/or ``name``, keyset-paginated (moderators)."""
    require_role(request, "moderator")
    query = select(Job).order_by(Job.id.desc())
    state = request.params.get("state")
    if state is not None:
        if state not in JOB_STATES:
            raise bad_request(f"state must be one of {', '.join(JOB_STATES)}.", code="invalid_state")
        query = query.where(Job.state == state)
    name = request.params.get("name")
    if name is not None:
        if not valid_job_name(name):
            raise bad_request("name must be a job name such as 'report.screen'.", code="invalid_name")
        query = query.where(Job.name == name)
    limit = read_limit(request)
    cursor = read_cursor(request)
    if cursor is not None:
        if not isinstance(cursor, int) or isinstance(cursor, bool):
            raise bad_request("The cursor is not one this server gave out.", code="invalid_cursor")
        query = query.where(Job.id < cursor)
    jobs = list(request.dbsession.scalars(query.limit(limit + 1)))
    more = len(jobs) > limit
    jobs = jobs[:limit]
    return {"jobs": [job_json(job) for job in jobs], "next_cursor": encode_cursor(jobs[-1].id) if more else None}
