"""What a job's function gets: its id, the app's registry, its params, progress and requests."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..scripting import app_request
from . import store


@dataclass
class JobContext:
    """The running job: ``progress()`` is visible over HTTP at once; ``request()`` opens a transaction.

    ``attempt`` is 1 on the first run, 2 when the job runs again (its process died, or a transient
    database error ended the run before).
    """

    job_id: str
    registry: Any
    params: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1

    def progress(self, fraction: float, message: str | None = None) -> None:
        """Store how far the job is (0..1) and what it is doing, committed immediately.

        :param fraction: a number from 0 to 1 (a ValueError otherwise)
        :param message: a short human-readable status (kept to 512 characters), or None to keep the last one
        """
        if not isinstance(fraction, (int, float)) or not 0 <= fraction <= 1:
            raise ValueError(f"progress must be a number from 0 to 1, not {fraction!r}")
        store.set_progress(self.registry["db_engine"], int(self.job_id), float(fraction), message)

    @contextmanager
    def request(self) -> Iterator[Any]:
        """A request (``request.dbsession``, hooks) in its own transaction, committed at exit.

        This is :func:`imagemonkey.scripting.app_request`; raising inside rolls it back.
        """
        with app_request(self.registry) as request:
            yield request
