"""What a plugin registers: a job's name, its function, and optionally a period."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..plugins import PluginError

JOB_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
MAX_NAME_LENGTH = 128


def valid_job_name(name: Any) -> bool:
    """True for a dotted lower-case name such as ``report.screen`` (at most 128 characters)."""
    return isinstance(name, str) and len(name) <= MAX_NAME_LENGTH and JOB_NAME.match(name) is not None


@dataclass(frozen=True)
class JobSpec:
    """A job: ``run(ctx, **params)`` returns a JSON value stored as the job's result.

    ``name`` is dotted and starts with the plugin's name (``report.screen``). With
    ``every_seconds`` (a whole number of minutes: 60, 120, 3600, ...) the consumer also runs
    the job periodically, without parameters; huey checks periodic jobs once a minute.
    """

    name: str
    run: Callable[..., Any]
    every_seconds: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not valid_job_name(self.name):
            raise ValueError(f"job name {self.name!r} must be dotted lower-case words, like 'report.screen'")
        if not callable(self.run):
            raise ValueError(f"job {self.name!r}: run must be callable")
        if self.every_seconds is not None and (self.every_seconds < 60 or self.every_seconds % 60):
            raise ValueError(f"job {self.name!r}: every_seconds must be a whole number of minutes (60, 120, ...)")


def collect_job_specs(pm: Any, core_jobs: Sequence[JobSpec] = ()) -> dict[str, JobSpec]:
    """Core's and every plugin's jobs by name; a name registered twice (or a non-JobSpec) is a :class:`PluginError`."""
    specs: dict[str, JobSpec] = {}
    for registered in [core_jobs, *pm.hook.imagemonkey_jobs()]:
        for spec in registered or []:
            if not isinstance(spec, JobSpec):
                raise PluginError(f"imagemonkey_jobs returned {spec!r}; it must return JobSpec objects")
            if spec.name in specs:
                raise PluginError(f"the job {spec.name!r} is registered twice (two imagemonkey_jobs answers name it)")
            specs[spec.name] = spec
    return specs
