"""Validation metrics of a multi-label classifier: per-label precision, recall and AP, and mAP (torchmetrics)."""
from __future__ import annotations

import math
import warnings

from torchmetrics.functional.classification import (
    multilabel_average_precision,
    multilabel_precision,
    multilabel_recall,
)

from .torch_runtime import torch

THRESHOLD = 0.5


def evaluate(probabilities: torch.Tensor, targets: torch.Tensor, labels: list[str]) -> dict:
    """``{"map", "per_label": {label: {"precision", "recall", "ap", "positives"}}, "images"}``.

    ``probabilities`` and ``targets`` are (N, L). AP is only defined for a label with at least one positive
    validation image; mAP is the mean over those labels (None when there are none).
    """
    count = len(labels)
    targets = targets.int()
    positives = targets.sum(dim=0).tolist() if len(targets) else [0] * count
    per_label: dict[str, dict] = {}
    if len(targets) and count:
        with warnings.catch_warnings():  # a label without positives: reported as None below
            warnings.simplefilter("ignore", UserWarning)
            ap = multilabel_average_precision(probabilities, targets, num_labels=count, average=None).tolist()
        precision = multilabel_precision(probabilities, targets, num_labels=count, threshold=THRESHOLD,
                                         average=None, zero_division=0).tolist()
        recall = multilabel_recall(probabilities, targets, num_labels=count, threshold=THRESHOLD,
                                   average=None, zero_division=0).tolist()
    else:
        ap = precision = recall = [math.nan] * count
    for index, label in enumerate(labels):
        defined = positives[index] > 0
        per_label[label] = {
            "precision": round(precision[index], 4) if defined else None,
            "recall": round(recall[index], 4) if defined else None,
            "ap": round(ap[index], 4) if defined else None,
            "positives": int(positives[index]),
        }
    aps = [entry["ap"] for entry in per_label.values() if entry["ap"] is not None]
    return {"map": round(sum(aps) / len(aps), 4) if aps else None, "per_label": per_label, "images": len(targets)}
