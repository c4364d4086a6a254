"""The similar-pictures API: neighbours of a dataset picture, and of an uploaded one (embedded on the fly)."""
from __future__ import annotations

from typing import Any

import numpy as np
from pyramid.view import view_config

from imagemonkey.plugin import (
    ApiError,
    check_rate,
    client_address,
    get_visible_image,
    images_json,
    not_found,
    read_limit,
    reserve_pixels,
)

from .ann import AnnFile
from .index_holder import IndexHolder
from .models import Embedding
from .similar import nearest_public, vector_of
from .views import uploaded_image

DEFAULT_LIMIT = 12


def current_index(request: Any) -> tuple[AnnFile, str]:
    """This site's backbone version and the index of it as last saved (torch loads with the backbone)."""
    from .providers import backbone_of

    provider = backbone_of(request.registry)
    holder: IndexHolder = request.registry["playground.similar"]
    return holder.current(request.registry, provider.version, provider.features), provider.version


def answer(request: Any, ann: AnnFile, vector: np.ndarray, exclude: int | None = None) -> dict[str, Any]:
    """``{"images": [{"image", "distance"}]}``: the nearest public pictures, nearest first."""
    limit = read_limit(request, default=DEFAULT_LIMIT)
    found = nearest_public(request, ann, vector, limit, exclude)
    documents = images_json(request, [image for image, _ in found])
    return {"images": [{"image": document, "distance": round(distance, 6)}
                       for document, (_, distance) in zip(documents, found, strict=True)]}


@view_config(route_name="playground.image_similar", request_method="GET", renderer="json")
def image_similar(request: Any) -> dict[str, Any]:
    """The public pictures nearest to image ``id`` (404 unknown or not visible, 409 ``not_embedded`` when the
    playground has not embedded it yet)."""
    image = get_visible_image(request, request.matchdict["id"])
    if image.status == "removed":
        raise not_found("image")
    ann, backbone = current_index(request)
    data = request.dbsession.get(Embedding, (image.id, backbone))
    if data is None:
        raise ApiError(409, "not_embedded", "The playground has not embedded this picture yet; "
                                            "it is done every few minutes, try again later.")
    return answer(request, ann, vector_of(data.vector), exclude=image.id)


@view_config(route_name="playground.similar", request_method="POST", renderer="json")
def upload_similar(request: Any) -> dict[str, Any]:
    """The public pictures nearest to an uploaded picture (multipart ``image``, within the upload size limit)."""
    check_rate(request.registry["playground.limiter"], client_address(request), "predictions")
    if (request.content_type or "") != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "Send multipart/form-data with a field 'image'.")
    data = uploaded_image(request)()
    ann, _ = current_index(request)
    from .backbone import decode, pixels
    from .providers import backbone_of

    with reserve_pixels(request, pixels(data)):
        picture = decode(data)
    vector = backbone_of(request.registry).embed([picture])[0].numpy()
    return answer(request, ann, vector)
