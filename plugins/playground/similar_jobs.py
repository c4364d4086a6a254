"""The jobs and the query prefix of similar pictures: keep the index in step, rebuild it, ``similar:ID``."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import false

from imagemonkey.plugin import ApiError, JobContext, JobSpec, QueryPrefix, ascii_int

from . import coldstart
from .settings import setting
from .similar import embed_missing, update_index

UPDATE = "playground.similar_update"
REBUILD = "playground.similar_rebuild"
#: how often the index is brought up to date (and the newest public pictures without an embedding embedded)
UPDATE_EVERY = 300


def refresh(scope: Callable[[], AbstractContextManager[Any]], *, rebuild: bool = False) -> dict[str, Any]:
    """Embed a batch of public pictures that lack an embedding (committed), then update (or rebuild) the index and,
    with active learning on and no active model, rewrite the cold-start order (``coldstart``); ``scope()`` yields a
    request whose transaction commits at exit."""
    from .providers import backbone_of  # torch: the worker embeds

    with scope() as request:
        embedded = embed_missing(request, setting(request, "playground.similar_embed_batch"))
    with scope() as request:
        provider = backbone_of(request.registry)
        indexed = update_index(request, provider.version, provider.features, rebuild=rebuild)
    with scope() as request:
        cold_start = coldstart.record(request, provider.version, provider.features)
    return {"embedded": embedded, **indexed, "cold_start": cold_start}


def update_job(ctx: JobContext) -> dict[str, Any]:
    """Every few minutes: embed new public pictures and add every new embedding to the index."""
    return refresh(ctx.request)


def rebuild_job(ctx: JobContext) -> dict[str, Any]:
    """The index built again from every embedding of the current backbone."""
    return refresh(ctx.request, rebuild=True)


SIMILAR_JOBS = [
    JobSpec(UPDATE, update_job, every_seconds=UPDATE_EVERY,
            description="embed new public pictures and add new embeddings to the similar-pictures index"),
    JobSpec(REBUILD, rebuild_job, description="rebuild the similar-pictures index from every embedding"),
]


def neighbour_ids(registry: Any, image_id: int) -> list[int]:
    """The ids of image ``image_id``'s ``playground.similar_k`` nearest pictures in the index (itself left out);
    a 409 ``not_embedded`` when the index does not hold it."""
    from .providers import backbone_of

    provider = backbone_of(registry)
    ann = registry["playground.similar"].current(registry, provider.version, provider.features)
    if not ann.index.contains(image_id):
        raise ApiError(409, "not_embedded", f"Image {image_id} is not in the similar-pictures index yet.")
    k = setting(registry, "playground.similar_k")
    found = ann.search(ann.index.get(image_id), k + 1)
    return [key for key, _ in found if key != image_id][:k]


def similar_prefix(registry: Any) -> QueryPrefix:
    """``similar:ID``: the image is among image ID's ``playground.similar_k`` nearest neighbours."""
    def clause(text: str, image_id: Any) -> Any:
        number = ascii_int(text)
        if number is None:
            raise ApiError(400, "invalid_similar", f"similar: takes an image id (similar:123), not {text!r}.")
        ids = neighbour_ids(registry, number)
        return image_id.in_(ids) if ids else false()

    return QueryPrefix("similar", "the image is among the nearest neighbours (by embedding) of image ID", clause,
                       argument="text")
