"""A query's export as a tar stream: an exporter runs in a thread and its images go out while it works.

The exporter (``imagemonkey_exporters``: core's ``json``, annotate's ``coco``/``voc``/``yolo``, ...) runs in
its own read transaction on a worker thread with a :class:`StreamingContext`. Every image it places
(``add_image``) and every file it adds next to one (``add_bytes``) is sent to the response at once as a tar
member (images from the blob store, never copied to disk); the files it writes itself (annotations,
per-image XML, ``images.jsonl``) go into a temporary folder and follow when it is done. A bounded queue
between the thread and the response keeps memory flat whatever the number of images, and a client that
goes away stops the exporter.
"""
from __future__ import annotations

import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from imagemonkey.plugin import ExportContext, Exporter, app_request

from . import tar_stream

log = logging.getLogger(__name__)
QUEUE_ITEMS = 64  # image members waiting for the client at most (references, not bytes)
PUT_WAIT = 0.5  # seconds between checks that the client is still there


class Cancelled(Exception):
    """The client went away: the exporter stops."""


class StreamingContext(ExportContext):
    """An export context whose ``add_image`` hands the image to the response instead of copying it."""

    outbox: Any = None  # the ExportStream that sends members

    def add_image(self, image: Any, folder: str = "images") -> str:
        relative = f"{folder}/{self.file_name(image)}" if folder else self.file_name(image)
        self.outbox.send_blob(relative, image.original_key)
        return relative

    def add_bytes(self, relative: str, data: bytes) -> str:
        self.outbox.send_bytes(relative, data)
        return relative


class ExportStream:
    """The response body of one export: iterate it for the tar's bytes; ``close()`` stops the exporter."""

    def __init__(self, registry: Any, exporter: Exporter, where: Any, *, include_unverified: bool = False,
                 on_close: Callable[[], None] | None = None) -> None:
        self.registry = registry
        self.on_close = on_close
        self.exporter = exporter
        self.where = where
        self.include_unverified = include_unverified
        self.items: queue.Queue[tuple[str, Any, Any]] = queue.Queue(maxsize=QUEUE_ITEMS)
        self.cancelled = threading.Event()
        self.closing = threading.Lock()
        self.last_sent = ""
        self.thread: threading.Thread | None = None
        self.folder: Path | None = None  # the exporter's own files, while the stream runs

    def send_blob(self, name: str, key: str) -> None:
        """Queue image member ``name`` (blob ``key``); blocks while the client is behind, raises once it left.

        An exporter places each image once (a repeat right after is skipped); nothing is kept per image, so
        memory does not grow with the export."""
        if name != self.last_sent:
            self.last_sent = name
            self._put(("blob", name, key))

    def send_bytes(self, name: str, data: bytes) -> None:
        """Queue member ``name`` holding ``data`` (a file that belongs next to the image just sent)."""
        self._put(("bytes", name, data))

    def _put(self, item: tuple[str, Any, Any]) -> None:
        while True:
            if self.cancelled.is_set():
                raise Cancelled()
            try:
                self.items.put(item, timeout=PUT_WAIT)
                return
            except queue.Full:
                continue

    def _run(self, folder: Path) -> None:
        """The worker thread: run the exporter, then queue the files it wrote, then the end."""
        try:
            with app_request(self.registry) as request:
                context = StreamingContext(request=request, out_dir=folder, where=self.where,
                                           include_unverified=self.include_unverified)
                context.outbox = self
                self.exporter.export(context)
            for path in sorted(folder.rglob("*")):  # only what the exporter wrote; folders too (empty classes)
                self._put(("file" if path.is_file() else "folder", path.relative_to(folder).as_posix(), path))
            self._put(("end", None, None))
        except Cancelled:
            pass
        except Exception as error:  # the response ends broken (no end-of-archive blocks): the client sees it
            log.exception("export %s failed", self.exporter.name)
            try:
                self._put(("error", error, None))
            except Cancelled:
                pass

    def __iter__(self) -> Iterator[bytes]:
        folder = self.folder = Path(tempfile.mkdtemp(prefix="imagemonkey-export-"))
        self.thread = threading.Thread(target=self._run, args=(folder,), name="export", daemon=True)
        self.thread.start()
        store = self.registry["blobstore"]
        try:
            while True:
                kind, first, second = self.items.get()
                if kind == "blob":
                    yield from tar_stream.blob_member(first, store, second)
                elif kind == "bytes":
                    yield from tar_stream.bytes_member(first, second)
                elif kind == "file":
                    yield from tar_stream.file_member(first, second)
                elif kind == "folder":
                    yield tar_stream.header(first + "/", 0, folder=True)
                elif kind == "end":
                    yield tar_stream.END_OF_ARCHIVE
                    return
                else:
                    raise RuntimeError(f"the export stopped: {first}")
        finally:
            self.close()
            self.thread.join(timeout=30)
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Stop the exporter (the client is gone or the stream ended); ``on_close`` runs once."""
        self.cancelled.set()
        with self.closing:
            on_close, self.on_close = self.on_close, None
        if on_close is not None:
            on_close()
