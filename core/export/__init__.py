"""The export framework: exporters (core's ``json`` and the plugins') write a dataset folder, streaming.

An exporter is an :class:`Exporter` returned by ``imagemonkey_exporters``. It reads the
dataset through an :class:`ExportContext`, which hands out images in keyset batches
(memory does not grow with the dataset) and copies or hard-links their files under
stable names.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .attributes import export_attributes, export_shape_attributes
from .context import ExportContext, Exporter

__all__ = ["Exporter", "ExportContext", "export_attributes", "export_shape_attributes", "exporters", "run_export"]


def exporters(registry: Any) -> dict[str, Exporter]:
    """Every exporter the enabled plugins (and core) offer, by name."""
    from ..plugins import collect_hook

    return {exporter.name: exporter
            for exporter in collect_hook(registry, "imagemonkey_exporters", lambda exporter: exporter.name, "exporter")}


def run_export(registry: Any, name: str, out_dir: Path | str, *, labels: list[str] | None = None,
               copy_images: bool = True, progress: Any = None, query: str | None = None,
               include_unverified: bool = False) -> dict[str, int]:
    """Run exporter ``name`` into ``out_dir`` in one read transaction; returns its counts.

    ``query`` (the query language of ``docs/query.md``) narrows the images; a mistake in it raises
    :class:`imagemonkey.query.QueryError` (a ``ValueError``) naming its position.
    """
    from ..query import compiler_for, parse_query
    from ..scripting import app_request

    available = exporters(registry)
    if name not in available:
        raise ValueError(f"unknown export format {name!r}; available: {', '.join(sorted(available)) or 'none'}")
    catalog = registry["catalog"]
    resolved = None
    if labels:
        resolved = []
        for label in labels:
            name_in_catalog = catalog.resolve(label)
            if name_in_catalog is None:
                raise ValueError(f"unknown label {label!r}")
            resolved.append(name_in_catalog)
    where = compiler_for(registry).clause(parse_query(query)) if query else None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with app_request(registry) as request:
        context = ExportContext(request=request, out_dir=out, labels=resolved, copy_images=copy_images,
                                progress=progress, where=where, include_unverified=include_unverified)
        counts = available[name].export(context)
    return {**counts, **{f"left_out_{reason}": count for reason, count in sorted(context.left_out.items())}}
