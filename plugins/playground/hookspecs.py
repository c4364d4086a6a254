"""Hooks the playground declares (documented in docs/plugins/playground.md)."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import hookspec


@hookspec(firstresult=True)
def playground_backbone(registry: Any) -> Any:
    """A different backbone for the playground: a :class:`imagemonkey_playground.providers.BackboneProvider`
       (``version``: a name of at most 64 characters that changes whenever its features change; ``features``: the
       embedding size; ``embed(images: list[PIL.Image]) -> Tensor (N, features)``), or None for EfficientNet-Lite0.
       Asked once per process, the first time a backbone is needed. Embeddings are cached per version, the head is
       trained on them, and versions trained on another backbone keep predicting with theirs only while it is the
       one served (a version's backbone is in its JSON)."""
