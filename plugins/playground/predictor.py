"""Predicting with one model version: decode, transform, backbone, head, sigmoid."""
from __future__ import annotations

from PIL import Image as PILImage

from .backbone import Backbone, eval_transform
from .head import HeadParams, LabelHead
from .model_file import ModelFile
from .providers import DEFAULT, BackboneProvider
from .torch_runtime import torch


def backbone_with_tail(model: ModelFile) -> Backbone:
    """For a fine-tuned model: a copy of the backbone whose last blocks carry its weights."""
    backbone = Backbone().eval()
    missing = backbone.load_state_dict(model.tail, strict=False)
    if missing.unexpected_keys:
        raise ValueError(f"unexpected backbone weights {missing.unexpected_keys[:3]}")
    for parameter in backbone.parameters():
        parameter.requires_grad_(False)
    return backbone


class Predictor:
    """A loaded model version; thread-safe for concurrent ``predict`` calls (inference mode, no state)."""

    def __init__(self, model: ModelFile, provider: BackboneProvider = DEFAULT) -> None:
        """``provider`` is the served backbone; the model must have been trained on it (``ValueError`` otherwise)."""
        self.labels = model.labels
        self.head = LabelHead(model.head["layer.1.weight"].shape[1], len(model.labels), HeadParams())
        self.head.load_state_dict(model.head)
        self.head.eval()
        if model.tail_start is not None:
            tuned, transform = backbone_with_tail(model), eval_transform()
            self.embed = lambda images: tuned(torch.stack([transform(image) for image in images]))
        elif model.backbone in (provider.version, DEFAULT.version):
            self.embed = provider.embed if model.backbone == provider.version else DEFAULT.embed
        else:
            raise ValueError(f"the model was trained on backbone {model.backbone!r}, not {provider.version!r}")

    @torch.inference_mode()
    def embeddings(self, images: list[PILImage.Image]) -> torch.Tensor:
        """Backbone features (N, features) of decoded images."""
        return self.embed(images)

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
