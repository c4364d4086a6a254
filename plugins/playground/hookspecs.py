"""Hooks the playground declares (documented in docs/plugins/playground.md, tested in tests/plugins/playground)."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import hookspec


@hookspec(firstresult=True)
def playground_backbone(registry: Any) -> Any:
    """A different backbone for the playground than EfficientNet-Lite0.

    Asked once per process, the first time a backbone is needed. Embeddings are cached per backbone version, the head
    is trained on them, and a version trained on another backbone cannot be activated once that one is gone.

    :param registry: the app's registry (settings, blob store).
    :returns: an ``imagemonkey_playground.providers.BackboneProvider(version, features, embed)``: ``version`` a name
        of at most 64 characters that changes whenever the features change, ``features`` the embedding size,
        ``embed(images: list[PIL.Image]) -> Tensor (N, features)``; or None for the built-in backbone.
    """
