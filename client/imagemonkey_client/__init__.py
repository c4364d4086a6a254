"""The ImageMonkey Python client: ``from imagemonkey_client import Client``."""
from .client import Client
from .errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Gone,
    ImageMonkeyError,
    IntegrityError,
    Invalid,
    NotFound,
    RateLimited,
    ServerError,
    TooLarge,
    TransportError,
    Unauthenticated,
)
from .tokens import TokenStore

__all__ = ["Client", "TokenStore", "ImageMonkeyError", "BadRequest", "Unauthenticated", "Forbidden", "NotFound",
           "Conflict", "Gone", "TooLarge", "Invalid", "RateLimited", "ServerError", "TransportError",
           "IntegrityError"]
