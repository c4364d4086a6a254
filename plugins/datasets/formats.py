"""The archive formats a release can hold: name, file suffix and description."""
from __future__ import annotations

FORMATS: dict[str, str] = {
    "coco": "COCO detection JSON with images (pycocotools, torchvision CocoDetection)",
    "voc": "Pascal VOC 2012 layout (VOCdevkit/VOC2012) with JPEG images",
    "yolo": "YOLO detection (data.yaml, images/, labels/)",
    "imagefolder": "Hugging Face imagefolder with metadata.jsonl (labels and boxes)",
    "webdataset": "WebDataset tar shards (one .jpg/.png and one .json per sample)",
    "labelme": "LabelMe JSON next to each image",
}
