"""``Client``: the ImageMonkey API from Python (donate, query, vote, tasks, releases, downloads, exports)."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import download
from .errors import ImageMonkeyError, NotFound, TransportError, Unauthenticated
from .tokens import TokenStore
from .transport import Transport

Json = dict[str, Any]


class Client:
    """One ImageMonkey server, e.g. ``Client("https://imagemonkey.example")``.

    Without ``token``, the first call that needs one creates an anonymous client token
    (``POST /api/v1/clients``) and keeps it in the user's config dir for this server URL
    (``token_store``), so later runs contribute as the same contributor. ``retries``, ``backoff``,
    ``timeout`` and ``sleep`` tune :class:`~imagemonkey_client.transport.Transport`; ``progress`` shows
    tqdm progress bars for downloads.
    """

    def __init__(self, url: str, token: str | None = None, *, token_store: TokenStore | None = None,
                 retries: int = 4, backoff: float = 0.5, timeout: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep, progress: bool = True) -> None:
        self.url = url.rstrip("/")
        self.transport = Transport(self.url, retries=retries, backoff=backoff, timeout=timeout, sleep=sleep)
        self.store = token_store or TokenStore()
        self.progress = progress
        self._given_token = token
        self._token = token

    # --- identity -------------------------------------------------------------------------------------------
    @property
    def token(self) -> str:
        """The bearer token: the one given, the one kept for this server, or a new anonymous one."""
        if self._token is None:
            self._token = self.store.get(self.url)
        if self._token is None:
            self._token = self._new_anonymous_token()
        return self._token

    def _new_anonymous_token(self) -> str:
        token = str(self.transport.request("POST", "/api/v1/clients").json()["token"])
        self.store.put(self.url, token)
        return token

    def _call(self, method: str, path: str, *, auth: bool = False, **kwargs: Any) -> Any:
        """A request; with ``auth`` it carries the token (a kept one the server no longer knows is renewed once)."""
        token = self.token if auth else self._token
        try:
            return self.transport.request(method, path, token=token, **kwargs)
        except Unauthenticated:
            if not auth or self._given_token is not None:
                raise
            self._token = self._new_anonymous_token()
            return self.transport.request(method, path, token=self._token, **kwargs)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON of a request's answer (None for a 204); an answer that is not JSON is a ``TransportError``."""
        answer = self._call(method, path, **kwargs)
        if answer.status_code == 204:
            return None
        try:
            return answer.json()
        except ValueError:
            raise TransportError(f"{method} {path}: the answer (HTTP {answer.status_code}, {len(answer.content)} "
                                 "bytes) is not JSON; was the connection cut?", code="invalid_answer",
                                 status=answer.status_code) from None

    def info(self) -> Json:
        """``GET /api/v1/info``: the server's name, version, plugins and limits."""
        return self._json("GET", "/api/v1/info")

    # --- images and labels ---------------------------------------------------------------------------------
    def donate(self, image: str | Path | bytes, labels: Sequence[str] = (), *, source_url: str | None = None,
               page_url: str | None = None, filename: str | None = None) -> Json:
        """Donate an image (a path or its bytes) with ``labels``; returns the API's answer
        (``{"image": Image}``, with ``"duplicate": true`` when the bytes were already there)."""
        if isinstance(image, bytes):
            data, name = image, filename or "image"
        else:
            path = Path(image)
            data, name = path.read_bytes(), filename or path.name
        fields: list[tuple[str, str]] = [("label", label) for label in labels]
        fields += [(key, value) for key, value in (("source_url", source_url), ("page_url", page_url)) if value]
        return self._json("POST", "/api/v1/images", auth=True, data=fields, files={"image": (name, data)})

    def image(self, image_id: str | int) -> Json:
        """``GET /api/v1/images/{id}``: one ``Image``."""
        return self._json("GET", f"/api/v1/images/{image_id}")

    def images(self, q: str | None = None, *, label: str | None = None, page_size: int = 100) -> Iterator[Json]:
        """Every image matching the query ``q`` (``"dog & ~cat"``), page after page (``next_cursor``) as it goes."""
        params: dict[str, Any] = {"limit": page_size}
        if q:
            params["q"] = q
        if label:
            params["label"] = label
        while True:
            page = self._json("GET", "/api/v1/images", params=params)
            yield from page["images"]
            if not page.get("next_cursor"):
                return
            params["cursor"] = page["next_cursor"]

    def labels(self) -> Json:
        """``GET /api/v1/labels``: the label catalog (``{"version", "labels": [...]}``)."""
        return self._json("GET", "/api/v1/labels")

    def add_labels(self, image_id: str | int, labels: Sequence[str]) -> Json:
        """Label an existing image: ``{"labels": [ImageLabel], "suggested": [...]}``."""
        return self._json("POST", f"/api/v1/images/{image_id}/labels", auth=True, json={"labels": list(labels)})

    # --- validation and tasks ------------------------------------------------------------------------------
    def image_label(self, image_label_id: str | int) -> Json:
        """``GET /api/v1/image-labels/{id}``: one ``ImageLabel`` (with its votes and state under validate)."""
        return self._json("GET", f"/api/v1/image-labels/{image_label_id}")

    def vote(self, image_label_id: str | int, vote: str) -> Json:
        """Vote ``"yes"``, ``"no"`` or ``"unsure"`` on an image label; returns the ``ImageLabel`` (the server
        settles votes in batches, so its counts may show the vote a moment later)."""
        return self._json("POST", f"/api/v1/image-labels/{image_label_id}/votes", auth=True, json={"vote": vote})

    def next_task(self, kind: str = "validate", label: str | None = None) -> Json | None:
        """The next task of ``kind`` (``label``, ``validate``, ``annotate``...) for this contributor, or None."""
        params = {"kind": kind, **({"label": label} if label else {})}
        document = self._json("GET", "/api/v1/tasks/next", auth=True, params=params)
        return document["task"] if document else None

    # --- you and other people --------------------------------------------------------------------------------
    def me(self) -> Json:
        """``GET /api/v1/me``: who this token is (``user`` for an account), ``counts`` by kind, ``today`` (today's
        writes by kind and ``total``) and ``streak_days``."""
        return self._json("GET", "/api/v1/me", auth=True)

    def person(self, name: str) -> Json:
        """``GET /api/v1/people/{name}``: a public profile (``NotFound`` unless the account made it public)."""
        return self._json("GET", f"/api/v1/people/{quote(name, safe='')}")

    def set_profile(self, *, public_profile: bool | None = None, top_list: bool | None = None) -> Json:
        """``PATCH /api/v1/me``: the account's opt-ins (a public profile, its name in the weekly top list); those
        left None stay as they are. Answers ``{"public_profile", "top_list"}``; needs an account's token."""
        changes = {key: value for key, value in (("public_profile", public_profile), ("top_list", top_list))
                   if value is not None}
        if not changes:
            raise ValueError("set_profile needs public_profile or top_list")
        return self._json("PATCH", "/api/v1/me", auth=True, json=changes)

    # --- releases, downloads, exports ----------------------------------------------------------------------
    def releases(self) -> Iterator[Json]:
        """Every ``Release``, newest first, page after page."""
        params: dict[str, Any] = {}
        while True:
            page = self._json("GET", "/api/v1/releases", params=params)
            yield from page["releases"]
            if not page.get("next_cursor"):
                return
            params["cursor"] = page["next_cursor"]

    def release(self, version: str = "latest") -> Json:
        """One ``Release`` (the newest revision of ``version``; ``"latest"`` for the newest release)."""
        return self._json("GET", f"/api/v1/releases/{version}")

    def create_release(self, version: str | None = None, *, query: str | None = None,
                       formats: Sequence[str] | None = None, include_unverified: bool = False) -> Json:
        """Moderators: build a release (``POST /api/v1/releases``); returns ``{"release", "job": {"id"}}``."""
        body: Json = {"include_unverified": include_unverified}
        body.update({key: value for key, value in (("version", version), ("query", query)) if value is not None})
        if formats is not None:
            body["formats"] = list(formats)
        return self._json("POST", "/api/v1/releases", auth=True, json=body)

    def job(self, job_id: str | int) -> Json:
        """``GET /api/v1/jobs/{id}``: a background job's state and progress."""
        return self._json("GET", f"/api/v1/jobs/{job_id}")

    def download(self, version: str = "latest", format: str = "coco", dest: str | Path = ".", *,
                 resume: bool = True, verify: bool = True) -> list[Path]:
        """Download release ``version``'s files in ``format`` into the folder ``dest``; returns their paths.

        An interrupted download resumes (``Range``) from its ``.part`` file; with ``verify`` each file's
        sha256 must match the release's file list (:class:`~imagemonkey_client.errors.IntegrityError`).
        """
        release = self.release(version)
        files = [item for item in release.get("files", []) if item.get("format") == format]
        if not files:
            offered = sorted({str(item.get("format")) for item in release.get("files", [])})
            raise NotFound(f"release {release.get('version')} has no {format!r} files; it has: {', '.join(offered)}",
                           code="no_such_format", status=404)
        folder = Path(dest)
        return [download.fetch_file(self.transport, item["url"], folder / Path(item["name"]).name,
                                    token=self._token, sha256=item.get("sha256"), size=item.get("bytes"),
                                    resume=resume, verify=verify, progress=self.progress)
                for item in files]

    def export(self, q: str, format: str = "coco", dest: str | Path = ".", *,
               include_unverified: bool = False) -> Path:
        """Stream ``GET /api/v1/export`` (what ``q`` matches, as a ``format`` archive) to ``dest``.

        ``dest`` is a file, or a folder that gets ``export-<format>.tar``; returns the file's path. Labels the
        crowd has not verified are left out unless ``include_unverified``. A query
        matching more than the server exports at once raises ``TooLarge`` (``too_many_images``).
        """
        target = Path(dest)
        if target.is_dir():
            target = target / f"export-{format}.tar"
        part = target.with_name(target.name + ".part")
        params = {"q": q, "format": format, "include_unverified": "true" if include_unverified else "false"}
        answer = self._call("GET", "/api/v1/export", params=params, stream=True)
        try:
            with answer, open(part, "wb") as out:
                for block in answer.iter_content(download.NETWORK_CHUNK):
                    out.write(block)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        part.replace(target)
        return target


__all__ = ["Client", "ImageMonkeyError"]
