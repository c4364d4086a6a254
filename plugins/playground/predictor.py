"""Predicting with one model version: decode, transform, backbone, head, sigmoid."""
from __future__ import annotations

import torch
from PIL import Image as PILImage

from .backbone import FEATURES, Backbone, eval_transform, shared_backbone
from .head import HeadParams, LabelHead
from .model_file import ModelFile


def backbone_with_tail(model: ModelFile) -> Backbone:
    """The shared frozen backbone, or for a fine-tuned model a copy whose last blocks carry its weights."""
    if model.tail_start is None:
        return shared_backbone()
    backbone = Backbone().eval()
    missing = backbone.load_state_dict(model.tail, strict=False)
    if missing.unexpected_keys:
        raise ValueError(f"unexpected backbone weights {missing.unexpected_keys[:3]}")
    for parameter in backbone.parameters():
        parameter.requires_grad_(False)
    return backbone


class Predictor:
    """A loaded model version; thread-safe for concurrent ``predict`` calls (inference mode, no state)."""

    def __init__(self, model: ModelFile) -> None:
        self.labels = model.labels
        self.head = LabelHead(FEATURES, len(model.labels), HeadParams())
        self.head.load_state_dict(model.head)
        self.head.eval()
        self.backbone = backbone_with_tail(model)
        self.transform = eval_transform()

    @torch.inference_mode()
    def embeddings(self, images: list[PILImage.Image]) -> torch.Tensor:
        """Backbone features (N, 1280) of decoded images."""
        return self.backbone(torch.stack([self.transform(image) for image in images]))

    @torch.inference_mode()
    def from_embeddings(self, embeddings: torch.Tensor) -> torch.Tensor:
        """Probabilities (N, L) from backbone features (only valid for a model without a fine-tuned tail)."""
        return torch.sigmoid(self.head(embeddings))

    def probabilities(self, images: list[PILImage.Image]) -> torch.Tensor:
        """Probabilities (N, L) of decoded images."""
        return self.from_embeddings(self.embeddings(images))

    def predict(self, image: PILImage.Image, limit: int = 10, floor: float = 0.0) -> list[dict]:
        """``[{"label", "probability"}]`` of one image, most probable first, at most ``limit``, at least ``floor``."""
        row = self.probabilities([image])[0].tolist()
        ranked = sorted(zip(self.labels, row, strict=True), key=lambda pair: -pair[1])
        return [{"label": label, "probability": round(p, 4)} for label, p in ranked[:limit] if p >= floor]
