"""Blob storage for image files: the protocol, a file-system store and an S3 store.

:func:`blob_store_from_settings` picks the store from the ``imagemonkey.storage``
setting: ``file:///absolute/path`` (default: ``file://<data_dir>/images``) or
``s3://bucket/optional/prefix``, the S3 client configured by
``imagemonkey.s3.endpoint_url``, ``imagemonkey.s3.region``,
``imagemonkey.s3.access_key_id`` and ``imagemonkey.s3.secret_access_key`` (blank or
absent: boto3's defaults, i.e. the environment / instance credentials), and
optionally ``imagemonkey.s3.addressing_style`` (``path``, ``virtual`` or ``auto``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from imagemonkey.storage.base import BlobStore, validate_key
from imagemonkey.storage.local import FileBlobStore

__all__ = ["BlobStore", "FileBlobStore", "S3BlobStore", "blob_store_from_settings", "validate_key"]

SETTING = "imagemonkey.storage"


def __getattr__(name: str) -> object:
    if name == "S3BlobStore":
        from imagemonkey.storage.s3 import S3BlobStore

        return S3BlobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def blob_store_from_settings(settings: Mapping[str, str], data_dir: Path) -> BlobStore:
    """The blob store the settings name (see the module docstring); ``ValueError`` if they are wrong."""
    url = (settings.get(SETTING) or "").strip() or (Path(data_dir).resolve() / "images").as_uri()
    parsed = urlsplit(url)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        if parsed.netloc not in ("", "localhost") or not path.is_absolute():
            raise ValueError(f"{SETTING}: {url!r} is not an absolute file URL (file:///absolute/path)")
        return FileBlobStore(path)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError(f"{SETTING}: {url!r} names no bucket (s3://bucket/prefix)")
        from imagemonkey.storage.s3 import S3BlobStore

        def option(name: str) -> str | None:
            return (settings.get(f"imagemonkey.s3.{name}") or "").strip() or None

        return S3BlobStore(
            parsed.netloc,
            unquote(parsed.path).strip("/"),
            endpoint_url=option("endpoint_url"),
            region=option("region"),
            access_key_id=option("access_key_id"),
            secret_access_key=option("secret_access_key"),
            addressing_style=option("addressing_style"),
        )
    raise ValueError(f"{SETTING}: unknown storage scheme {parsed.scheme!r} in {url!r}; use file:/// or s3://")
