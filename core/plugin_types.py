"""The types that the hook specifications, the job queue and the CLI share: they import nothing from core.

``hookspecs`` names them in its signatures, ``jobs`` and ``cli`` use them, and ``plugins`` raises
:class:`PluginError`; keeping them here (below all four) keeps core's import graph free of circles.
Plugins get them through ``imagemonkey.plugin``.
"""
from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JOB_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
MAX_NAME_LENGTH = 128


class PluginError(RuntimeError):
    """A plugin cannot be loaded: unknown, broken, or missing a plugin it requires."""


def valid_job_name(name: Any) -> bool:
    """True for a dotted lower-case name such as ``report.screen`` (at most 128 characters)."""
    return isinstance(name, str) and len(name) <= MAX_NAME_LENGTH and JOB_NAME.match(name) is not None


#: A running job's lease unless its spec says otherwise: its process renews it every third of that.
DEFAULT_LEASE_SECONDS = 60.0
DEFAULT_MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class JobSpec:
    """A job: ``run(ctx, **params)`` returns a JSON value stored as the job's result.

    ``name`` is dotted and starts with the plugin's name (``report.screen``). With
    ``every_seconds`` (a whole number of minutes: 60, 120, 3600, ...) the consumer also runs
    the job periodically, without parameters; huey checks periodic jobs once a minute.

    A run holds a lease of ``lease_seconds`` that its process renews while the job runs; when
    the process dies (kill -9, a lost machine) the lease runs out and the job is queued again.
    A transient database error (deadlock, dropped connection, SQLite busy) also queues it again,
    after a backoff. After ``max_attempts`` runs it is ``failed`` with the reason, and
    ``on_failure(ctx, error)`` runs (in whatever process decided it; its errors are logged), so
    a plugin can show the failure where people look for it.
    """

    name: str
    run: Callable[..., Any]
    every_seconds: int | None = None
    description: str = ""
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    on_failure: Callable[..., Any] | None = None

    def __post_init__(self) -> None:
        if not valid_job_name(self.name):
            raise ValueError(f"job name {self.name!r} must be dotted lower-case words, like 'report.screen'")
        if not callable(self.run):
            raise ValueError(f"job {self.name!r}: run must be callable")
        if self.every_seconds is not None and (self.every_seconds < 60 or self.every_seconds % 60):
            raise ValueError(f"job {self.name!r}: every_seconds must be a whole number of minutes (60, 120, ...)")
        if not 1 <= self.lease_seconds <= 24 * 3600:
            raise ValueError(f"job {self.name!r}: lease_seconds must be from 1 to 86400")
        if not isinstance(self.max_attempts, int) or not 1 <= self.max_attempts <= 100:
            raise ValueError(f"job {self.name!r}: max_attempts must be a whole number from 1 to 100")
        if self.on_failure is not None and not callable(self.on_failure):
            raise ValueError(f"job {self.name!r}: on_failure must be callable")


@dataclass(frozen=True)
class CliCommand:
    """A subcommand: ``add_arguments(parser)`` adds its options, ``run(args, registry)`` returns the exit status."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Any], int]
