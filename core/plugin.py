"""TEMPORARY (playground branch): the subset of issue 10's ``imagemonkey.plugin`` that the playground uses, as plain
re-exports of existing core objects, so the plugin can be written against the contract before the platform lands.
When main has the platform's ``core/plugin.py`` this file is replaced by it (take main's version on merge).
``add_labels``, ``process_upload``, ``limiter_from_setting``, ``check_rate`` and ``client_address`` are not in the
contract's list: the platform module needs to expose core's labelling, image checks and rate limiting somehow.
"""
from imagemonkey.auth import require_contributor, require_role
from imagemonkey.db.meta import Base
from imagemonkey.db.migrate import run_env as run_migrations_env
from imagemonkey.errors import ApiError, bad_request, conflict, forbidden, invalid, not_found
from imagemonkey.hookspecs import hookimpl, hookspec
from imagemonkey.images.process import process_upload
from imagemonkey.jobs import JobContext, JobSpec, enqueue_job
from imagemonkey.models import Image, ImageLabel
from imagemonkey.models.types import UTCDateTime, isoformat, utcnow
from imagemonkey.openapi import obj, op
from imagemonkey.ratelimit import check as check_rate
from imagemonkey.ratelimit import client_address, limiter_from_setting
from imagemonkey.scripting import app_request
from imagemonkey.services.labeling import add_labels
from imagemonkey.services.pagination import encode_cursor, read_cursor, read_limit
from imagemonkey.services.visibility import get_visible_image, parse_id
from imagemonkey.views import json_body

__all__ = ["ApiError", "Base", "Image", "ImageLabel", "JobContext", "JobSpec", "UTCDateTime", "add_labels",
           "app_request", "bad_request", "check_rate", "client_address", "conflict", "encode_cursor", "enqueue_job",
           "forbidden",
           "get_visible_image", "hookimpl", "hookspec", "invalid", "isoformat", "json_body", "limiter_from_setting",
           "not_found", "obj", "op", "parse_id", "process_upload", "read_cursor", "read_limit", "require_contributor",
           "require_role", "run_migrations_env", "utcnow"]
