"""Background jobs on huey: plugins register :class:`JobSpec` s through ``imagemonkey_jobs``.

``enqueue_job(request, name, **params)`` writes a row in core's ``job`` table and sends
one huey message (after the request commits); a consumer (threads inside ``imagemonkey
serve`` on the embedded SQLite queue, or ``imagemonkey worker`` on Redis) runs the job's
function with a :class:`JobContext`. The row is the source of truth for state, progress,
result and error. ``imagemonkey.plugin`` re-exports the three public names.
"""
from .context import JobContext
from .enqueue import enqueue_job
from .spec import JobSpec

__all__ = ["JobContext", "JobSpec", "enqueue_job"]
