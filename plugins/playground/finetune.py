"""Fine-tuning the last backbone blocks together with the head, where a GPU is present.

Run after the head was trained on cached embeddings (it starts from that head): the stem and the first blocks
stay frozen, the last ``TAIL_BLOCKS`` blocks, the head convolution and the head are trained on augmented images
(transforms v2) with a small learning rate, early stopping on the validation loss.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pytorch_lightning as pl
from PIL import Image as PILImage
from torch import nn
from torch.utils.data import DataLoader, Dataset

from .backbone import Backbone, eval_transform, train_transform
from .head import HeadParams, KeepBest, LabelHead, trainer_for
from .model_file import ModelFile
from .torch_runtime import torch
from .training import Example, targets_of

TAIL_BLOCKS = 3
ImageLoader = Callable[[int], PILImage.Image]


class ImageDataset(Dataset):
    """(transformed image, multi-hot target) pairs, decoding images through the loader on demand."""

    def __init__(self, examples: Sequence[Example], labels: list[str], load: ImageLoader, transform: nn.Module) -> None:
        self.ids = [image_id for image_id, _ in examples]
        self.targets = targets_of(examples, labels)
        self.load = load
        self.transform = transform

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.transform(self.load(self.ids[index])), self.targets[index]


class FineTuned(pl.LightningModule):
    """Frozen first blocks, trainable last blocks and head."""

    def __init__(self, model: ModelFile, learning_rate: float) -> None:
        super().__init__()
        self.backbone = Backbone()
        self.start = len(self.backbone.blocks()) - TAIL_BLOCKS
        self.head = LabelHead(model.head["layer.1.weight"].shape[1], len(model.labels), HeadParams())
        self.head.load_state_dict(model.head)
        self.learning_rate = learning_rate
        self.loss = nn.BCEWithLogitsLoss()
        for name, parameter in self.backbone.named_parameters():
            parameter.requires_grad_(is_tail(name, self.start))

    def on_train_epoch_start(self) -> None:
        """Keep the frozen part in eval mode: its batch-norm statistics must not drift (they are not saved)."""
        net = self.backbone.net
        for module in (net._conv_stem, net._bn0, *net._blocks[:self.start]):
            module.eval()

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            x = self.backbone.stem(images, self.start)
        return self.head(self.backbone.rest(x, self.start))

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_index: int) -> torch.Tensor:
        x, y = batch
        loss = self.loss(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True, batch_size=len(x))
        return loss

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_index: int) -> None:
        x, y = batch
        self.log("val_loss", self.loss(self(x), y), on_step=False, on_epoch=True, batch_size=len(x))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        trainable = [p for p in self.parameters() if p.requires_grad]
        return torch.optim.AdamW(trainable, lr=self.learning_rate, weight_decay=1e-4)


def is_tail(name: str, start: int) -> bool:
    """Whether a backbone parameter/buffer name belongs to the fine-tuned part (blocks >= start, head conv/bn)."""
    parts = name.split(".")
    if parts[1] == "_blocks":
        return int(parts[2]) >= start
    return parts[1] in ("_conv_head", "_bn1")


def finetune(model: ModelFile, train_set: Sequence[Example], val_set: Sequence[Example], load: ImageLoader,
             max_epochs: int = 10, batch_size: int = 32, learning_rate: float = 1e-4) -> tuple[ModelFile, torch.Tensor]:
    """The model with fine-tuned last blocks and its validation probabilities (N_val, L)."""
    pl.seed_everything(0, workers=True, verbose=False)
    module = FineTuned(model, learning_rate)
    params = HeadParams(max_epochs=max_epochs, patience=3)
    keep = KeepBest(None, max_epochs)
    train_data = DataLoader(ImageDataset(train_set, model.labels, load, train_transform()), batch_size=batch_size,
                            shuffle=True, num_workers=0)
    val_data = DataLoader(ImageDataset(val_set, model.labels, load, eval_transform()), batch_size=batch_size,
                          num_workers=0)
    trainer = trainer_for(params, [keep], validate=len(val_set) > 0)
    trainer.fit(module, train_data, val_data if len(val_set) else None)
    module = module.cpu().eval()
    if keep.best_state is not None:
        module.load_state_dict(keep.best_state)
    tail = {k: v.detach().clone() for k, v in module.backbone.state_dict().items() if is_tail(k, module.start)}
    tuned = ModelFile(labels=model.labels, backbone=model.backbone,
                      head={k: v.detach().clone() for k, v in module.head.state_dict().items()},
                      tail_start=module.start, tail=tail)
    with torch.inference_mode():
        outputs = [torch.sigmoid(module(x)) for x, _ in DataLoader(
            ImageDataset(val_set, model.labels, load, eval_transform()), batch_size=batch_size)]
    return tuned, torch.cat(outputs) if outputs else torch.empty(0, len(model.labels))


def gpu_available() -> bool:
    """Whether Lightning's ``accelerator="auto"`` would pick a GPU here."""
    return torch.cuda.is_available()


