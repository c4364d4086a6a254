"""A blob store in an S3 bucket (AWS or any S3-compatible service: MinIO, R2, Ceph...).

Objects are named ``<prefix>/<ab>/<sha256>`` (``ab``: the first two hex digits) and
carry the ``ContentType`` given to :meth:`S3BlobStore.put`. An S3 PUT is atomic, and
putting the same bytes again rewrites an identical object, so ``put`` is idempotent.
``boto3`` is imported only when a store is created; install it with the ``s3`` extra:
``pip install 'imagemonkey[s3]'``. With a custom ``endpoint_url`` the client uses
path-style addressing (what most S3-compatible services expect) unless told otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from imagemonkey.storage.base import KEY_PATTERN, validate_key

_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def _import_boto3() -> tuple[Any, Any, type[Exception]]:
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError
    except ImportError as error:
        raise ImportError("S3 storage needs boto3, which is not installed: pip install 'imagemonkey[s3]'") from error
    return boto3, Config, ClientError


class S3BlobStore:
    """Content-addressed objects in ``bucket`` under ``prefix``."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        addressing_style: str | None = None,
    ) -> None:
        boto3, config_class, self._client_error = _import_boto3()
        if not bucket:
            raise ValueError("S3BlobStore needs a bucket name")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        config = config_class(
            s3={"addressing_style": addressing_style or ("path" if endpoint_url else "auto")},
            retries={"max_attempts": 5, "mode": "standard"},
        )
        self._client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=config,
        )

    def __repr__(self) -> str:
        return f"S3BlobStore(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def object_name(self, key: str) -> str:
        """The S3 object name for ``key``; ``ValueError`` for an invalid key."""
        key = validate_key(key)
        return f"{self.prefix}/{key[:2]}/{key}" if self.prefix else f"{key[:2]}/{key}"

    def _missing(self, error: Exception) -> bool:
        response = getattr(error, "response", {}) or {}
        return str(response.get("Error", {}).get("Code", "")) in _MISSING_CODES

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            return self._client.head_object(Bucket=self.bucket, Key=self.object_name(key))
        except self._client_error as error:
            if self._missing(error):
                return None
            raise

    def put(self, data: bytes, content_type: str) -> str:
        """Upload ``data`` with ``content_type``; return its key."""
        key = hashlib.sha256(data).hexdigest()
        self._client.put_object(Bucket=self.bucket, Key=self.object_name(key), Body=data, ContentType=content_type)
        return key

    def put_file(self, source: Path | str, content_type: str) -> str:
        """Upload the file at ``source`` (hashed first, then a streamed multipart upload); return its key."""
        digest = hashlib.sha256()
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        key = digest.hexdigest()
        self._client.upload_file(str(source), self.bucket, self.object_name(key),
                                 ExtraArgs={"ContentType": content_type})
        return key

    def signed_url(self, key: str, *, seconds: int, filename: str | None = None) -> str:
        """A presigned GET URL of ``key`` valid for ``seconds`` (named ``filename`` when the client saves it)."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self.object_name(key)}
        if filename:
            params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
        return str(self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds))

    def get(self, key: str) -> bytes:
        """The stored bytes; ``KeyError`` if missing."""
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self.object_name(key))
        except self._client_error as error:
            if self._missing(error):
                raise KeyError(key) from None
            raise
        with response["Body"] as body:
            return body.read()

    def get_file(self, key: str, target: Path | str) -> None:
        """Download ``key`` into the file ``target`` streamed (multipart ranges, never whole in memory); ``KeyError``
        if missing (``target`` may then hold a partial file: download to a temporary name)."""
        try:
            self._client.download_file(self.bucket, self.object_name(key), str(target))
        except self._client_error as error:
            if self._missing(error):
                raise KeyError(key) from None
            raise

    def exists(self, key: str) -> bool:
        """Whether ``key`` is stored (one HEAD request)."""
        return self._head(key) is not None

    def delete(self, key: str) -> None:
        """Remove ``key``; no error if missing."""
        self._client.delete_object(Bucket=self.bucket, Key=self.object_name(key))

    def keys(self) -> Iterator[str]:
        """Every stored key, streamed page by page (1000 per request)."""
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else ""):
            for item in page.get("Contents", []):
                name: str = item["Key"]
                key = name.rsplit("/", 1)[-1]
                if KEY_PATTERN.fullmatch(key) and name == self.object_name(key):
                    yield key

    def local_path(self, key: str) -> Path | None:
        """Always ``None``: objects have no local file (``ValueError`` for an invalid key)."""
        validate_key(key)
        return None

    def content_type(self, key: str) -> str:
        """The stored ``ContentType``; ``KeyError`` if missing."""
        head = self._head(key)
        if head is None:
            raise KeyError(key)
        return str(head.get("ContentType", "application/octet-stream"))
