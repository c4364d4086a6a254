"""Collecting what plugins register as jobs (:class:`JobSpec` lives in ``imagemonkey.plugin_types``)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..plugin_types import DEFAULT_LEASE_SECONDS, DEFAULT_MAX_ATTEMPTS, JobSpec, PluginError, valid_job_name

__all__ = ["DEFAULT_LEASE_SECONDS", "DEFAULT_MAX_ATTEMPTS", "JobSpec", "collect_job_specs", "valid_job_name"]


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
