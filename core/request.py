"""The app's Request class: ``tm``, ``dbsession`` and ``contributor`` as class-level lazy properties.

Declaring them on the class (instead of ``config.add_request_method``) spares Pyramid from
building a new request subclass for every request, which was a quarter of the
per-request overhead of a cheap endpoint.
"""
from __future__ import annotations

from typing import Any

from pyramid.decorator import reify
from pyramid.request import Request as PyramidRequest
from pyramid_tm import create_tm
from sqlalchemy.orm import Session

from .auth import current_contributor
from .db import get_tm_session


class Request(PyramidRequest):
    """A Pyramid request with the transaction manager, the database session and the contributor."""

    @reify
    def tm(self) -> Any:
        """The request's transaction manager (pyramid_tm's explicit manager)."""
        return create_tm(self)

    @reify
    def dbsession(self) -> Session:
        """The SQLAlchemy session joined to the request's transaction."""
        return get_tm_session(self.registry["dbsession_factory"], self.tm, request=self)

    @reify
    def contributor(self) -> Any:
        """The contributor behind the bearer token, or None; an unknown token is a 401."""
        return current_contributor(self)
