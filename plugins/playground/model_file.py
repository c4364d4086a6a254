"""A trained model as bytes (what the registry stores as a blob) and back.

The file holds the label order, the backbone version, the head's weights and, for a model whose last
backbone blocks were fine-tuned on a GPU, those blocks' weights and where they start.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from .torch_runtime import torch

FORMAT = 1


@dataclass
class ModelFile:
    """Everything needed to predict with one trained version."""

    labels: list[str]
    backbone: str
    head: dict[str, torch.Tensor]
    tail_start: int | None = None
    tail: dict[str, torch.Tensor] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Serialised with ``torch.save`` (tensors only, loadable with ``weights_only=True``)."""
        buffer = io.BytesIO()
        torch.save({"format": FORMAT, "labels": self.labels, "backbone": self.backbone, "head": self.head,
                    "tail_start": self.tail_start, "tail": self.tail}, buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ModelFile:
        """The inverse of :meth:`to_bytes`; ``ValueError`` on a file of another format."""
        content = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
        if content.get("format") != FORMAT:
            raise ValueError(f"unknown playground model format {content.get('format')!r}")
        return cls(labels=list(content["labels"]), backbone=content["backbone"], head=content["head"],
                   tail_start=content["tail_start"], tail=content["tail"])
