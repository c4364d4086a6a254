"""``imagemonkey-client download|donate|query|export``: the client from a shell."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from .client import Client
from .errors import ImageMonkeyError

DEFAULT_URL = "http://127.0.0.1:6543"


def parser() -> argparse.ArgumentParser:
    """The command line's parser."""
    main = argparse.ArgumentParser(prog="imagemonkey-client", description="Talk to an ImageMonkey server.")
    main.add_argument("--url", default=os.environ.get("IMAGEMONKEY_URL", DEFAULT_URL),
                      help=f"the server (default: $IMAGEMONKEY_URL or {DEFAULT_URL})")
    main.add_argument("--token", default=os.environ.get("IMAGEMONKEY_TOKEN"),
                      help="a bearer token (default: $IMAGEMONKEY_TOKEN, else an anonymous one kept per server)")
    main.add_argument("--quiet", action="store_true", help="no progress bars")
    commands = main.add_subparsers(dest="command", required=True)

    get = commands.add_parser("download", help="download a dataset release's files in one format")
    get.add_argument("--version", default="latest", help="the release version (default: latest)")
    get.add_argument("--format", default="coco", help="coco, voc, yolo, imagefolder, webdataset, labelme...")
    get.add_argument("--dest", default=".", help="the folder to put the files in (default: here)")
    get.add_argument("--no-resume", action="store_true", help="start over instead of continuing a .part file")
    get.add_argument("--no-verify", action="store_true", help="skip the sha256 check")

    give = commands.add_parser("donate", help="donate image files")
    give.add_argument("files", nargs="+", help="image files")
    give.add_argument("--label", action="append", default=[], help="a label (repeat for more)")
    give.add_argument("--source-url", help="where the image file came from")
    give.add_argument("--page-url", help="the page it was seen on")

    query = commands.add_parser("query", help="print the images a query matches, one JSON object a line")
    query.add_argument("q", help='a query, e.g. "dog & ~cat"')
    query.add_argument("--limit", type=int, default=None, help="stop after this many images")

    export = commands.add_parser("export", help="download what a query matches as one archive")
    export.add_argument("q", help='a query, e.g. "dog & ~cat"')
    export.add_argument("--format", default="coco")
    export.add_argument("--dest", default=".", help="a file, or a folder for export-<format>.tar")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors print the API's code and message and exit 1."""
    args = parser().parse_args(argv)
    client = Client(args.url, args.token, progress=not args.quiet)
    try:
        if args.command == "download":
            for path in client.download(args.version, args.format, args.dest, resume=not args.no_resume,
                                        verify=not args.no_verify):
                print(path)
        elif args.command == "donate":
            for name in args.files:
                answer = client.donate(name, args.label, source_url=args.source_url, page_url=args.page_url)
                image = answer.get("image") or {}
                print(json.dumps({"file": name, "id": image.get("id"), "duplicate": bool(answer.get("duplicate"))}))
        elif args.command == "query":
            for count, image in enumerate(client.images(args.q), start=1):
                print(json.dumps(image))
                if args.limit is not None and count >= args.limit:
                    break
        else:
            print(client.export(args.q, args.format, args.dest))
    except ImageMonkeyError as error:
        print(f"imagemonkey-client: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
