"""Which backbone embeds images: EfficientNet-Lite0 unless a plugin supplies another (``playground_backbone``)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image as PILImage

from . import backbone
from .torch_runtime import torch


@dataclass(frozen=True)
class BackboneProvider:
    """A backbone as the playground uses it: a version name, the embedding size, and images -> (N, features)."""

    version: str
    features: int
    embed: Callable[[list[PILImage.Image]], torch.Tensor]


DEFAULT = BackboneProvider(backbone.BACKBONE_VERSION, backbone.FEATURES, backbone.embed)


def backbone_of(registry: Any) -> BackboneProvider:
    """The backbone of this app: the first ``playground_backbone`` answer, else EfficientNet-Lite0 (cached)."""
    if "playground.backbone" not in registry:
        supplied = registry.pm.hook.playground_backbone(registry=registry)
        if supplied is not None and (not isinstance(supplied, BackboneProvider) or len(supplied.version) > 64):
            raise ValueError("playground_backbone must return a BackboneProvider with a version of <= 64 characters")
        registry["playground.backbone"] = supplied or DEFAULT
    return registry["playground.backbone"]
