"""The multi-label head over backbone embeddings, trained with PyTorch Lightning.

A linear layer (with dropout) over the 1280-d embeddings and a sigmoid per label, trained with binary
cross-entropy and AdamW; early stopping on the validation split's loss keeps the weights of the best epoch.
"""
from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

import pytorch_lightning as pl
from torch import nn
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset

from .torch_runtime import torch

Progress = Callable[[float, str], None]
#: a small training set still takes this many optimizer steps per epoch (batches no smaller than MIN_BATCH)
MIN_STEPS = 8
MIN_BATCH = 16


@dataclass(frozen=True)
class HeadParams:
    """Hyperparameters of the head (stored with every model version)."""

    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    dropout: float = 0.2
    batch_size: int = 512
    max_epochs: int = 60
    patience: int = 6
    seed: int = 0

    def as_dict(self) -> dict:
        """JSON-ready."""
        return asdict(self)


class LabelHead(pl.LightningModule):
    """Logits per label from embeddings."""

    def __init__(self, features: int, labels: int, params: HeadParams) -> None:
        super().__init__()
        self.params = params
        self.layer = nn.Sequential(nn.Dropout(params.dropout), nn.Linear(features, labels))
        self.loss = nn.BCEWithLogitsLoss()

    def forward(self, embeddings: torch.Tensor) -> torch.Tensor:
        """Logits (N, L)."""
        return self.layer(embeddings)

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_index: int) -> torch.Tensor:
        """BCE on one batch."""
        x, y = batch
        return self.loss(self(x), y)

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_index: int) -> None:
        """Validation BCE (what early stopping watches)."""
        x, y = batch
        self.log("val_loss", self.loss(self(x), y), on_step=False, on_epoch=True, batch_size=len(x))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        """AdamW."""
        return torch.optim.AdamW(self.parameters(), lr=self.params.learning_rate,
                                 weight_decay=self.params.weight_decay)


class KeepBest(pl.Callback):
    """Keeps a copy of the weights of the epoch with the lowest validation loss, and reports progress."""

    def __init__(self, progress: Progress | None, max_epochs: int) -> None:
        self.best_loss = float("inf")
        self.best_state: dict | None = None
        self.progress = progress
        self.max_epochs = max_epochs

    def on_validation_epoch_end(self, trainer: pl.Trainer, module: pl.LightningModule) -> None:
        """Snapshot the weights when the validation loss improved."""
        if trainer.sanity_checking:
            return
        loss = trainer.callback_metrics.get("val_loss")
        if loss is not None and float(loss) < self.best_loss:
            self.best_loss = float(loss)
            self.best_state = copy.deepcopy(module.state_dict())

    def on_train_epoch_end(self, trainer: pl.Trainer, module: pl.LightningModule) -> None:
        """Report the share of the epoch budget done."""
        if self.progress:
            epoch = trainer.current_epoch + 1
            self.progress(epoch / self.max_epochs, f"epoch {epoch}")


def batch_size_for(examples: int, params: HeadParams) -> int:
    """The batch size for ``examples`` training rows: ``params.batch_size``, smaller for small sets so that an epoch
    still takes ``MIN_STEPS`` steps (one step an epoch over a few hundred pictures leaves the head underfit)."""
    return max(MIN_BATCH, min(params.batch_size, examples // MIN_STEPS))


def trainer_for(params: HeadParams, callbacks: list[pl.Callback], validate: bool) -> pl.Trainer:
    """A quiet Lightning trainer: ``accelerator="auto"``, early stopping when there is a validation split."""
    if validate:
        callbacks = [*callbacks, pl.callbacks.EarlyStopping("val_loss", patience=params.patience)]
    return pl.Trainer(accelerator="auto", devices=1, max_epochs=params.max_epochs, callbacks=callbacks,
                      logger=False, enable_checkpointing=False, enable_progress_bar=False,
                      enable_model_summary=False, num_sanity_val_steps=0)


def loader(x: torch.Tensor, y: torch.Tensor, params: HeadParams, shuffle: bool) -> DataLoader:
    """Batches of (embeddings, targets), shuffled with a seeded generator, sliced a batch at a time.

    A batch sampler indexes the tensors once per batch instead of collating rows one by one.
    """
    dataset = TensorDataset(x, y)
    generator = torch.Generator().manual_seed(params.seed)
    order = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
    return DataLoader(dataset, sampler=BatchSampler(order, params.batch_size, drop_last=False), batch_size=None)


def train_head(train_x: torch.Tensor, train_y: torch.Tensor, val_x: torch.Tensor, val_y: torch.Tensor,
               params: HeadParams, progress: Progress | None = None) -> LabelHead:
    """Train a head on embeddings; returns it in eval mode on the CPU with the best epoch's weights."""
    pl.seed_everything(params.seed, workers=True, verbose=False)
    params = replace(params, batch_size=batch_size_for(len(train_x), params))
    logging.getLogger("pytorch_lightning").setLevel(logging.WARNING)
    head = LabelHead(train_x.shape[1], train_y.shape[1], params)
    keep = KeepBest(progress, params.max_epochs)
    validate = len(val_x) > 0
    trainer = trainer_for(params, [keep], validate)
    trainer.fit(head, loader(train_x, train_y, params, shuffle=True),
                loader(val_x, val_y, params, shuffle=False) if validate else None)
    head = head.cpu()
    if keep.best_state is not None:
        head.load_state_dict(keep.best_state)
    return head.eval()


@torch.inference_mode()
def probabilities(head: nn.Module, embeddings: torch.Tensor) -> torch.Tensor:
    """Sigmoid probabilities (N, L) of a head on embeddings."""
    return torch.sigmoid(head(embeddings)) if len(embeddings) else torch.empty(0, head.layer[-1].out_features)
