"""One training run, independent of the web app: examples in, a model file and its validation metrics out.

The caller supplies the examples (image id and its label names) and a function giving the backbone embedding of
each image (cached per backbone version by the caller). The split is by image id (:mod:`.split`); the head is
trained on the train split with early stopping on the validation split, whose metrics are reported. With a GPU
and an image loader, the last backbone blocks are fine-tuned afterwards (:mod:`.finetune`).
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .backbone import BACKBONE_VERSION
from .head import HeadParams, Progress, probabilities, train_head
from .metrics import evaluate
from .model_file import ModelFile
from .split import split_of
from .torch_runtime import torch

Example = tuple[int, Sequence[str]]
Embedder = Callable[[list[int]], torch.Tensor]


@dataclass
class TrainingResult:
    """A trained model with what the registry records about it."""

    model: ModelFile
    metrics: dict
    snapshot: dict
    params: dict
    val_image_ids: list[int]
    seconds: float


def snapshot_of(examples: Sequence[Example], labels: list[str]) -> dict:
    """Counts and a SHA-256 digest of the (image id, label) pairs used, so two trainings' data can be compared."""
    digest = hashlib.sha256()
    pairs = 0
    for image_id, names in sorted(examples):
        for name in sorted(names):
            digest.update(f"{image_id}\t{name}\n".encode())
            pairs += 1
    return {"images": len(examples), "image_labels": pairs, "labels": len(labels), "digest": digest.hexdigest()}


def targets_of(examples: Sequence[Example], labels: list[str]) -> torch.Tensor:
    """Multi-hot targets (N, L) in the order of ``labels``."""
    index = {label: i for i, label in enumerate(labels)}
    y = torch.zeros(len(examples), len(labels))
    for row, (_, names) in enumerate(examples):
        for name in names:
            if name in index:
                y[row, index[name]] = 1.0
    return y


def train(examples: Sequence[Example], labels: list[str], embed: Embedder, params: HeadParams | None = None,
          progress: Progress | None = None, finetune: Callable[..., ModelFile] | None = None,
          backbone: str = BACKBONE_VERSION) -> TrainingResult:
    """Train on ``examples`` (restricted to ``labels``) and evaluate on their validation split.

    ``backbone`` names the backbone the embeddings come from (stored in the model file). ``finetune``, when given
    (GPU present, default backbone), receives the trained model and the train/validation examples and
    returns the model with fine-tuned last blocks; the metrics are then those of the fine-tuned model.
    """
    started = time.perf_counter()
    params = params or HeadParams()
    examples = sorted((image_id, [n for n in names if n in set(labels)]) for image_id, names in examples)
    examples = [(image_id, names) for image_id, names in examples if names]
    train_set = [e for e in examples if split_of(e[0]) == "train"]
    val_set = [e for e in examples if split_of(e[0]) == "val"]
    if not train_set:
        raise ValueError("no training images")
    report = progress or (lambda share, message: None)
    report(0.0, f"embedding {len(examples)} images")
    train_x, val_x = embed([e[0] for e in train_set]), embed([e[0] for e in val_set])
    train_y, val_y = targets_of(train_set, labels), targets_of(val_set, labels)
    report(0.1, "training the head")
    head = train_head(train_x, train_y, val_x, val_y, params, lambda share, msg: report(0.1 + 0.8 * share, msg))
    model = ModelFile(labels=list(labels), backbone=backbone,
                      head={k: v.detach().clone() for k, v in head.state_dict().items()})
    if finetune is not None:
        report(0.9, "fine-tuning the last blocks")
        model, val_probabilities = finetune(model, train_set, val_set)
    else:
        val_probabilities = probabilities(head, val_x)
    metrics = evaluate(val_probabilities, val_y, labels)
    metrics["train_images"] = len(train_set)
    report(1.0, "trained")
    return TrainingResult(model=model, metrics=metrics, snapshot=snapshot_of(examples, labels),
                          params={**params.as_dict(), "finetuned": finetune is not None},
                          val_image_ids=[e[0] for e in val_set], seconds=time.perf_counter() - started)
