"""Downloads that survive bad networks: resumed with HTTP ``Range`` from a ``.part`` file, checked against sha256."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import requests
from tqdm import tqdm

from .errors import IntegrityError, TransportError
from .transport import CONNECTION_ERRORS, Transport

CHUNK = 1 << 20  # reading files back for sha256
NETWORK_CHUNK = 1 << 16  # what a broken connection can lose at most: iter_content yields only whole chunks
CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(\d+|\*)")


def sha256_of(path: Path) -> str:
    """The hex sha256 of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_file(transport: Transport, url: str, target: Path, *, token: str | None = None,
               sha256: str | None = None, size: int | None = None, resume: bool = True, verify: bool = True,
               progress: bool = True) -> Path:
    """Download ``url`` to ``target`` through ``target.part``; returns ``target``.

    With ``resume`` a ``.part`` left by an earlier try continues with ``Range: bytes=N-``, and a connection
    that breaks mid-stream continues the same way (up to ``transport.retries`` times). With ``verify`` and
    a known ``sha256`` the finished file must match it (a resumed file that does not is fetched once
    more from the start; then :class:`IntegrityError`). A file already at ``target`` that matches is kept.
    """
    if target.exists() and verify and sha256 and sha256_of(target) == sha256:
        return target
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not resume:
        part.unlink(missing_ok=True)
    for fresh in (False, True):
        resumed = _fetch_to_part(transport, url, part, token=token, size=size, resume=resume, progress=progress)
        if not (verify and sha256) or sha256_of(part) == sha256:
            part.replace(target)
            return target
        part.unlink()
        if fresh or not resumed:
            break
    raise IntegrityError(f"{target.name}: the downloaded bytes do not match the release's sha256 {sha256}",
                         code="checksum_mismatch")


def _fetch_to_part(transport: Transport, url: str, part: Path, *, token: str | None, size: int | None,
                   resume: bool, progress: bool) -> bool:
    """Fill ``part`` until the server has sent everything; returns whether any bytes were resumed."""
    resumed = False
    breaks = 0
    with tqdm(total=size, unit="B", unit_scale=True, unit_divisor=1024, desc=part.name[:-5],
              disable=not progress, leave=False) as bar:
        while True:
            have = part.stat().st_size if part.exists() else 0
            if have and size is not None and have >= size:
                return resumed or have > 0
            headers = {"Range": f"bytes={have}-"} if have else {}
            answer = transport.request("GET", url, token=token, stream=True, headers=headers, ok=(416,))
            with answer:
                if answer.status_code == 416:  # the partial file is already whole (or the server's file changed)
                    if have and size is None:
                        return True
                    part.unlink(missing_ok=True)
                    continue
                start = _start_of(answer.status_code, answer.headers.get("Content-Range"), have)
                if size is None:
                    size = _total_of(answer, start)
                    bar.total = size
                bar.reset(total=size)
                bar.update(start)
                resumed = resumed or start > 0
                try:
                    with open(part, "r+b" if start else "wb") as out:
                        out.seek(start)
                        out.truncate()
                        for block in answer.iter_content(NETWORK_CHUNK):
                            out.write(block)
                            bar.update(len(block))
                except CONNECTION_ERRORS as exc:
                    if breaks >= transport.retries:
                        raise TransportError(f"the download of {url} broke {breaks + 1} times: {exc}",
                                             code="connection_failed") from exc
                    if not resume:
                        part.unlink(missing_ok=True)
                    transport.sleep(transport.backoff_delay(breaks))
                    breaks += 1
                    continue
            return resumed


def _start_of(status: int, content_range: str | None, have: int) -> int:
    """Where the answer's bytes go in the file: ``have`` for a 206 that continues it, 0 for a whole file."""
    if status != 206:
        return 0
    match = CONTENT_RANGE.match(content_range or "")
    if match is None or int(match.group(1)) != have:
        raise TransportError(f"the server answered a range request with Content-Range {content_range!r}",
                             code="bad_range")
    return have


def _total_of(answer: requests.Response, start: int) -> int | None:
    """The whole file's size from a 200's ``Content-Length`` or a 206's ``Content-Range``, when given."""
    headers = answer.headers
    match = CONTENT_RANGE.match(headers.get("Content-Range") or "")
    if match and match.group(2) != "*":
        return int(match.group(2))
    length = headers.get("Content-Length")
    return start + int(length) if length and length.isdigit() else None
