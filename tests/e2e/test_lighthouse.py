"""Lighthouse 12.2 on every page of a site with every plugin: 100 in accessibility, best practices and SEO.

One ``imagemonkey serve`` with every installed plugin and a few public pictures; ``tools/lighthouse/audit.mjs``
audits the pages one after another in one headless Chromium, each as a visitor with a fresh profile (Lighthouse's
default mobile emulation). The page list is the site's page routes, read from the app, plus a page for each
route with a parameter, so a new page is audited as soon as it exists. ``make test`` installs Lighthouse
(``tools/lighthouse``); without it the test is skipped, or fails when ``CI`` is set.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from webtest import TestApp

from imagemonkey.liveserver import LiveServer
from imagemonkey.plugins import installed_plugins

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "validate"))
from chromium_support import CHROMIUM  # noqa: E402
from test_validate_page import call  # noqa: E402
from validate_support import picture  # noqa: E402

pytestmark = pytest.mark.e2e
TOOLS = Path(__file__).resolve().parents[2] / "tools" / "lighthouse"
CATEGORIES = ("accessibility", "best-practices", "seo")
ALL = tuple(sorted(installed_plugins()))
#: pages beyond the routes' own patterns: a query, a grid for one label ("{image}" is a public picture's id)
EXTRA = ("/browse?q=dog", "/validate/grid?label=dog")
#: a page for each route pattern with a parameter
PARAMETRIC = {"/images/{id}": "/images/{image}", "/annotate/{image_id}": "/annotate/{image}",
              "/labels/{name:.+}": "/labels/dog", "/people/{name}": "/people/lighthouse"}


def require_lighthouse() -> None:
    """Skip (or fail under CI) without Node, the installed Lighthouse or Chromium."""
    missing = [what for what, there in (("node", shutil.which("node")), ("Chromium", Path(CHROMIUM).exists()),
                                        ("tools/lighthouse/node_modules (make test installs it)",
                                         (TOOLS / "node_modules" / "lighthouse").is_dir())) if not there]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Lighthouse cannot run: no {', '.join(missing)}")
        pytest.skip(f"Lighthouse cannot run: no {', '.join(missing)}")


def page_patterns(testapp: TestApp) -> set[str]:
    """The pattern of every route that serves a page (not the API, not static files)."""
    return {route.pattern for route in testapp.app.routes_mapper.get_routes()
            if not route.pattern.startswith(("/api/", "api/")) and "static" not in route.pattern
            and not route.name.startswith("__")}


def pages_to_audit(patterns: set[str]) -> list[str]:
    """Each page route once (a parametric one through ``PARAMETRIC``), then ``EXTRA``; fails on an unknown one."""
    unknown = sorted(pattern for pattern in patterns if "{" in pattern and pattern not in PARAMETRIC)
    assert not unknown, f"give these page routes a page to audit in PARAMETRIC: {unknown}"
    pages = sorted(PARAMETRIC.get(pattern, pattern) for pattern in patterns)
    return pages + [page for page in EXTRA if page.split("?")[0] in pages]


def donate_public(base: str, token: str, seed: int) -> str:
    """Donate a 640 px picture labelled dog; its id once a visitor can see it (after any screening)."""
    boundary = "----lighthouse"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\ndog\r\n'.encode(),
             f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{seed}.jpg"\r\n'
             f"Content-Type: image/jpeg\r\n\r\n".encode() + picture(seed, 640) + b"\r\n",
             f"--{boundary}--\r\n".encode()]
    image_id = call(base, "POST", "/api/v1/images", token, b"".join(parts),
                    f"multipart/form-data; boundary={boundary}")["image"]["id"]
    deadline = time.monotonic() + 60
    while True:
        try:
            call(base, "GET", f"/api/v1/images/{image_id}")
            return image_id
        except urllib.error.HTTPError:
            assert time.monotonic() < deadline, f"image {image_id} did not become public"
            time.sleep(0.2)


def public_profile(base: str, token: str) -> None:
    """Sign up "lighthouse" (claiming the donations) and make its profile public, for /people/lighthouse."""
    body = json.dumps({"username": "lighthouse", "password": "audit every page twice 42", "claim": True}).encode()
    account = call(base, "POST", "/api/v1/accounts", token, body, "application/json")
    call(base, "PATCH", "/api/v1/me", account["token"], json.dumps({"public_profile": True}).encode(),
         "application/json")


def audit(pages: list[str]) -> list[dict]:
    """Run audit.mjs on ``pages``; its JSON lines."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "IMAGEMONKEY_LIGHTHOUSE_CATEGORIES": ",".join(CATEGORIES)}
    done = subprocess.run(["node", str(TOOLS / "audit.mjs"), *pages], capture_output=True, text=True, env=env,
                          timeout=60 + 45 * len(pages), check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_every_page_scores_100(tmp_path: Path, app_factory: Callable[..., TestApp]) -> None:
    require_lighthouse()
    pages = pages_to_audit(page_patterns(app_factory(plugins=ALL)))
    live = LiveServer(tmp_path / "data", plugins=" ".join(ALL))
    try:
        token = call(live.url, "POST", "/api/v1/clients")["token"]
        image_id = [donate_public(live.url, token, 500 + seed) for seed in range(3)][0]
        public_profile(live.url, token)
        urls = [live.url + page.replace("{image}", image_id) for page in pages]
        results = audit(urls)
    finally:
        live.stop()
    assert [result["url"] for result in results] == urls
    problems = []
    for result in results:
        path = result["url"].removeprefix(live.url)
        if result.get("error"):
            problems.append(f"{path}: Lighthouse could not audit it: {result['error']}")
        for category, score in result["scores"].items():
            if score != 1:
                problems.append(f"{path}: {category} {score}")
        for failed in result["failing"]:
            items = "".join("\n      " + re.sub(r"\s+", " ", item)[:400] for item in failed["details"])
            problems.append(f"  {path} · {failed['category']} · {failed['id']}: {failed['title']}{items}")
    print("\n".join(f"{r['url'].removeprefix(live.url)} {r['scores']}" for r in results))
    assert not problems, "Lighthouse found problems:\n" + "\n".join(problems)
