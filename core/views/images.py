"""Donating, reading, serving and moderating images."""
from __future__ import annotations

from typing import Any

from pyramid.response import Response
from pyramid.view import view_config

from ..auth import require_contributor, require_role
from ..errors import ApiError, bad_request, invalid, not_found
from ..inputs import multipart_form
from ..security import too_large
from ..services import labeling
from ..services.browse import browse_page, count_matches
from ..services.donation import clean_url, donate
from ..services.serialize import SIZES, image_json
from ..services.status import change_status
from ..services.visibility import get_visible_image
from . import json_body

MODERATED_STATUSES = ("public", "hidden", "quarantined", "removed")
IMMUTABLE = "public, max-age=31536000, immutable"


@view_config(route_name="api.images", request_method="POST", renderer="json")
def donate_image(request: Any) -> dict[str, Any]:
    """Donate an image (multipart ``image``, ``label``*, ``source_url``, ``page_url``)."""
    require_contributor(request)
    limit = int(request.registry.settings["imagemonkey.max_upload_bytes"])
    if not (request.content_type or "").startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "Send the image as multipart/form-data with a field 'image'.")
    upload = multipart_form(request).get("image")
    if upload is None or not hasattr(upload, "file"):
        raise invalid("The multipart field 'image' must hold the image file.", field="image", code="missing_image")
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    labels = labeling.clean_names(request.POST.getall("label"))
    source_url = clean_url(request.POST.get("source_url"), "source_url")
    page_url = clean_url(request.POST.get("page_url"), "page_url")
    donation = donate(request, data, labels, source_url, page_url)
    if donation.image is None:
        return {"duplicate": True, "message": "This image is already stored and awaits moderation; "
                                              "it will be visible (and can be labelled) once it is public."}
    body: dict[str, Any] = {"image": image_json(request, donation.image)}
    if donation.suggested:
        body["suggested"] = donation.suggested
    if donation.duplicate:
        body["duplicate"] = True
    else:
        request.response.status_int = 201
    return body


@view_config(route_name="api.images", request_method="GET", renderer="json")
def list_images(request: Any) -> dict[str, Any]:
    """Browse visible images: ``?label=&status=&limit=&cursor=``."""
    return browse_page(request)


@view_config(route_name="api.images_count", request_method="GET", renderer="json")
def count_images(request: Any) -> dict[str, Any]:
    """``?q=``: how many visible images match (``{"count", "capped"}``), for the browse page's live count."""
    text = (request.params.get("q") or "").strip()
    if not text:
        raise bad_request("Give a query: ?q=dog & ~cat", code="missing_query")
    return count_matches(request, text)


@view_config(route_name="api.image", request_method="GET", renderer="json")
def get_image(request: Any) -> dict[str, Any]:
    """One image the caller may see."""
    return image_json(request, get_visible_image(request, request.matchdict["id"]))


@view_config(route_name="api.image_file", request_method="GET")
def image_file(request: Any) -> Response:
    """The bytes of a rendition, with a strong ETag, Range and If-None-Match support."""
    image = get_visible_image(request, request.matchdict["id"])
    size = request.params.get("size", "original")
    if size not in SIZES:
        raise invalid(f"size must be one of {', '.join(SIZES)}.", field="size")
    if image.status == "removed":
        raise not_found("image")
    key = {"original": image.original_key, "medium": image.medium_key, "thumb": image.thumb_key}[size]
    store = request.registry["blobstore"]
    try:
        data = store.get(key)
    except KeyError:
        raise not_found("image file") from None
    response = Response(body=data, content_type=store.content_type(key), conditional_response=True)
    response.etag = (key, True)
    response.headers["Cache-Control"] = IMMUTABLE if image.status == "public" else "private, max-age=3600"
    return response


@view_config(route_name="api.image_status", request_method="POST", renderer="json")
def set_status(request: Any) -> dict[str, Any]:
    """Moderators: make an image public, hidden, quarantined or removed (removed is final)."""
    require_role(request, "moderator")
    image = get_visible_image(request, request.matchdict["id"])
    body = json_body(request)
    status, reason = body.get("status"), body.get("reason")
    if status not in MODERATED_STATUSES:
        raise invalid(f"status must be one of {', '.join(MODERATED_STATUSES)}.", field="status")
    if reason is not None and (not isinstance(reason, str) or len(reason) > 500):
        raise invalid("reason must be a string of at most 500 characters.", field="reason")
    if image.status == "removed" and status != "removed":
        raise ApiError(409, "removed", "A removed image's files are deleted; it cannot come back.")
    change_status(request, image, status, reason)
    return image_json(request, image)
