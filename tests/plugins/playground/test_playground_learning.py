"""The machine-learning core without the web app: split rule, training quality, model files, prediction."""
from __future__ import annotations

import random

import pytest
import torch
from imagemonkey_playground import backbone, sample, split, training
from imagemonkey_playground.model_file import ModelFile
from imagemonkey_playground.predictor import Predictor

pytestmark = pytest.mark.training


@pytest.fixture(scope="module")
def dataset() -> tuple[list[tuple[int, list[str]]], dict[int, torch.Tensor], dict[int, bytes]]:
    """72 pictures of the six object classes, their ids 1..72 and cached embeddings."""
    pictures = sample.build(72, seed=1)
    files = {index + 1: data for index, (data, _) in enumerate(pictures)}
    vectors = backbone.embed([backbone.decode(data) for data in files.values()])
    return ([(index + 1, labels) for index, (_, labels) in enumerate(pictures)],
            dict(zip(files, vectors, strict=True)), files)


def embedder(cache: dict[int, torch.Tensor]) -> training.Embedder:
    return lambda ids: torch.stack([cache[i] for i in ids]) if ids else torch.empty(0, backbone.FEATURES)


def test_split_is_validates_imagefolder_rule() -> None:
    from imagemonkey_validate.exporter import split_of

    assert all(split.split_of(i) == split_of(i) for i in range(1, 5000))
    assert 0.15 < sum(split.split_of(i) == "val" for i in range(1, 5000)) / 4999 < 0.25


def test_training_learns_the_labels(dataset) -> None:  # noqa: ANN001
    examples, cache, files = dataset
    result = training.train(examples, sample.OBJECTS, embedder(cache))
    assert result.metrics["map"] >= 0.85
    assert result.metrics["images"] == len(result.val_image_ids) > 5
    assert set(result.metrics["per_label"]) == set(sample.OBJECTS)
    assert result.snapshot["images"] == 72 and len(result.snapshot["digest"]) == 64
    # the same data gives the same snapshot; the model predicts a held-out picture's label first
    assert training.snapshot_of(examples, sample.OBJECTS)["digest"] == result.snapshot["digest"]
    predictor = Predictor(ModelFile.from_bytes(result.model.to_bytes()))
    hits = 0
    for image_id in result.val_image_ids:
        labels = dict(examples)[image_id]
        top = predictor.predict(backbone.decode(files[image_id]), limit=len(labels))
        hits += {p["label"] for p in top} == set(labels)
    assert hits / len(result.val_image_ids) >= 0.75


def test_shuffled_labels_do_not_learn(dataset) -> None:  # noqa: ANN001
    """The quality bar above is one a broken pipeline (labels not matching pictures) cannot reach."""
    examples, cache, _ = dataset
    rng = random.Random(3)
    labels = [names for _, names in examples]
    rng.shuffle(labels)
    shuffled = [(image_id, names) for (image_id, _), names in zip(examples, labels, strict=True)]
    result = training.train(shuffled, sample.OBJECTS, embedder(cache))
    assert result.metrics["map"] < 0.7


def test_model_file_rejects_other_formats() -> None:
    import io

    buffer = io.BytesIO()
    torch.save({"format": 99}, buffer)
    with pytest.raises(ValueError, match="format"):
        ModelFile.from_bytes(buffer.getvalue())


def test_no_training_images_is_an_error() -> None:
    val_only = [i for i in range(1, 200) if split.split_of(i) == "val"][:3]
    with pytest.raises(ValueError, match="no training images"):
        training.train([(i, ["cat"]) for i in val_only], ["cat"], lambda ids: torch.zeros(len(ids), 1280))


def test_finetuning_the_last_blocks(dataset) -> None:  # noqa: ANN001
    """The GPU path (run here on the CPU, one epoch on a few pictures): the tail's weights change and travel in the
    model file, and a predictor built from the file reproduces the fine-tuned model's outputs."""
    from imagemonkey_playground.finetune import TAIL_BLOCKS, finetune

    examples, cache, files = dataset
    train_set = [e for e in examples if split.split_of(e[0]) == "train"][:8]
    val_set = [e for e in examples if split.split_of(e[0]) == "val"][:4]
    trained = training.train(train_set + val_set, sample.OBJECTS, embedder(cache))
    tuned, val_probabilities = finetune(trained.model, train_set, val_set,
                                        lambda image_id: backbone.decode(files[image_id]), max_epochs=1, batch_size=4)
    start = len(backbone.shared_backbone().blocks()) - TAIL_BLOCKS
    assert tuned.tail_start == start and any(k.startswith(f"net._blocks.{start}.") for k in tuned.tail)
    original = backbone.shared_backbone().state_dict()
    assert any(not torch.equal(v, original[k]) for k, v in tuned.tail.items() if v.is_floating_point())
    predictor = Predictor(ModelFile.from_bytes(tuned.to_bytes()))
    again = predictor.probabilities([backbone.decode(files[i]) for i, _ in val_set])
    assert torch.allclose(again, val_probabilities, atol=1e-4)
