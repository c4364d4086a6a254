"""``imagemonkey import DIR`` and ``imagemonkey export --format F OUT``, with progress bars."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from .common import add_data_options, bootstrap, load_settings

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` and ``export`` subcommands."""
    imp = subparsers.add_parser("import", help="donate every image file of a folder",
                                description="Bad files and duplicates are skipped and reported; each file is its "
                                            "own transaction.")
    imp.add_argument("directory")
    imp.add_argument("--label", action="append", default=[], metavar="NAME", help="label every image (repeatable)")
    imp.add_argument("--recursive", action="store_true", help="also import sub-folders")
    imp.add_argument("--as", dest="account", default="import", metavar="NAME",
                     help="the account recorded as donor (created if missing; default: import)")
    add_data_options(imp)
    imp.set_defaults(func=run_import)
    exp = subparsers.add_parser("export", help="write the dataset in a format (json, coco, voc, yolo, ...)")
    exp.add_argument("out", help="the output folder")
    exp.add_argument("--format", required=True, help="an exporter name; `imagemonkey export --format list X` lists")
    exp.add_argument("--label", action="append", default=None, metavar="NAME", help="only these labels (repeatable)")
    exp.add_argument("--query", metavar="QUERY", help='only images matching a query, e.g. "dog & ~cat" '
                                                      '(docs/query.md)')
    exp.add_argument("--include-unverified", action="store_true",
                     help="also export labels the crowd has not verified (validate's exporters skip them otherwise)")
    exp.add_argument("--no-images", action="store_true", help="write annotations only, no image files")
    add_data_options(exp)
    exp.set_defaults(func=run_export_command)


def image_files(directory: Path, recursive: bool) -> list[Path]:
    """The image files to import, in a stable order."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a folder")
    pattern = "**/*" if recursive else "*"
    return sorted(p for p in directory.glob(pattern) if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def importer_account(registry: object, name: str) -> int:
    """The id of the donor account for imports (created on first use)."""
    from ..models import Contributor
    from ..scripting import app_request

    with app_request(registry) as request:
        account = request.dbsession.scalar(select(Contributor).where(Contributor.name == name))
        if account is None:
            account = Contributor(kind="account", name=name, role="contributor")
            request.dbsession.add(account)
            request.dbsession.flush()
        return account.id


def run_import(args: argparse.Namespace) -> int:
    """Donate each file; print a summary of imported, duplicate and rejected files."""
    from tqdm import tqdm

    from ..errors import ApiError
    from ..models import Contributor
    from ..scripting import app_request
    from ..services.donation import donate
    from ..services.labeling import clean_names

    files = image_files(Path(args.directory), args.recursive)
    registry = bootstrap(load_settings(args))
    account_id = importer_account(registry, args.account)
    labels = clean_names(args.label)
    counts = {"imported": 0, "duplicate": 0, "rejected": 0}
    for path in tqdm(files, unit="image", desc="importing"):
        try:
            with app_request(registry) as request:
                request.contributor = request.dbsession.get(Contributor, account_id)
                donation = donate(request, path.read_bytes(), labels, None, None)
            counts["duplicate" if donation.duplicate else "imported"] += 1
        except ApiError as exc:
            counts["rejected"] += 1
            tqdm.write(f"skipped {path}: {exc.message}", file=sys.stderr)
    print(f"imported {counts['imported']}, duplicates {counts['duplicate']}, rejected {counts['rejected']}")
    return 0


def run_export_command(args: argparse.Namespace) -> int:
    """Run one exporter with a progress bar."""
    from tqdm import tqdm

    from ..export import exporters, run_export

    registry = bootstrap(load_settings(args))
    if args.format == "list":
        for name, exporter in sorted(exporters(registry).items()):
            print(f"{name:<12} {exporter.description}")
        return 0
    with tqdm(unit="image", desc=f"exporting {args.format}") as bar:
        counts = run_export(registry, args.format, Path(args.out), labels=args.label,
                            copy_images=not args.no_images, progress=bar.update, query=args.query,
                            include_unverified=args.include_unverified)
    print(", ".join(f"{key}: {value}" for key, value in counts.items()))
    if counts.get("left_out_unverified"):
        print(f"{counts['left_out_unverified']} labels were left out because the crowd has not verified them yet; "
              "vote on them at /validate, or export them anyway with --include-unverified.")
    return 0
