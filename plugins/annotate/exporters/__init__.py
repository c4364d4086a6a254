"""Dataset exporters of the annotate plugin: COCO, Pascal VOC, YOLO (boxes) and YOLO (segments)."""
from .coco import CocoExporter
from .voc import VocExporter
from .yolo import YoloExporter, YoloSegExporter

__all__ = ["CocoExporter", "VocExporter", "YoloExporter", "YoloSegExporter", "all_exporters"]


def all_exporters() -> list:
    """One instance of each exporter."""
    return [CocoExporter(), VocExporter(), YoloExporter(), YoloSegExporter()]
