"""Several processes, one site (issue 26): two ``imagemonkey serve`` and one ``imagemonkey worker`` on PostgreSQL,
Redis (the job queue and the shared state) and S3 (a moto server, which also carries the playground's
similar-pictures index from the worker to the servers), driven together over HTTP on 127.0.0.1.

The site trusts ``X-Forwarded-For`` as it would behind a proxy, so each simulated client has an address of its own
and ``imagemonkey.rate_limit.clients = 5/hour`` can be checked for one of them while the others create theirs.
PostgreSQL only: one SQLite file is not for several processes (skipped with the reason without
``IMAGEMONKEY_TEST_DB``). Redis down skips too, unless CI is set.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from s3server import start_moto_server, stop_moto_server
from site_processes import Http, Site, wait_for
from webtest import TestApp

from imagemonkey.plugin import enqueue_job
from imagemonkey.testing import new_moderator

pytestmark = pytest.mark.training  # the worker trains a (small) playground model

#: A Redis database no other test uses; flushed at the start.
REDIS_URL = "redis://127.0.0.1:6379/9"
PLUGINS = ("validate", "report", "playground")
LABELS = ["cat", "cup"]
SITE_SETTINGS = {
    "imagemonkey.jobs": REDIS_URL,  # shared state (rate limits, identity cache invalidation) follows it
    "imagemonkey.jobs.queue": "imsite",
    "imagemonkey.trust_forwarded_for": "true",
    "imagemonkey.moderation": "post",
    "imagemonkey.rate_limit.clients": "5/hour",
    "imagemonkey.rate_limit.writes": "off",
    "imagemonkey.rate_limit.requests": "off",
    "report.screening": "true",
    "playground.min_images": "3",
    "playground.rate": "off",
    "playground.reload_seconds": "0",
    "playground.similar_k": "3",
}


@pytest.fixture
def redis_db() -> str:
    """The test's Redis database, flushed; skips (fails on CI) when Redis is down."""
    import redis

    if not os.environ.get("IMAGEMONKEY_TEST_DB"):
        pytest.skip("several processes need PostgreSQL: set IMAGEMONKEY_TEST_DB (one SQLite file is one process's)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis at {REDIS_URL} is not reachable ({exc})")
    return REDIS_URL


@pytest.fixture
def s3_settings() -> Iterator[dict[str, str]]:
    """Settings of an S3 bucket on a moto server of this test."""
    url, process = start_moto_server()
    try:
        bucket = f"site-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                     aws_secret_access_key="test").create_bucket(Bucket=bucket)
        yield {"imagemonkey.storage": f"s3://{bucket}/images", "imagemonkey.s3.endpoint_url": url,
               "imagemonkey.s3.region": "us-east-1", "imagemonkey.s3.access_key_id": "test",
               "imagemonkey.s3.secret_access_key": "test"}
    finally:
        stop_moto_server(process)


def image_of(http: Http, image_id: str) -> dict[str, Any] | None:
    """The image as an anonymous caller sees it on ``http``'s process (None: not public yet)."""
    answer = http.session.get(f"{http.url}/api/v1/images/{image_id}", timeout=30)
    return answer.json() if answer.status_code == 200 else None


def check_client_limit(a: str, b: str) -> None:
    """Five clients from one address, alternating between the processes; the sixth is refused on either, also when
    the client puts an address of its choosing before the proxy's; another address is not."""
    for number in range(5):
        Http((a, b)[number % 2], "203.0.113.5").new_client()
    for url in (a, b):
        refused = Http(url, "203.0.113.5").call("POST", "/api/v1/clients", status=429)
        assert refused["error"]["code"] == "rate_limited", refused
    Http(b, "198.51.100.77, 203.0.113.5").call("POST", "/api/v1/clients", status=429)
    Http(a, "203.0.113.6").new_client()


def test_two_servers_and_a_worker_are_one_site(app_factory: Callable[..., TestApp], tmp_path: Path, redis_db: str,
                                               s3_settings: dict[str, str]) -> None:
    from imagemonkey_playground import sample

    shared = {**SITE_SETTINGS, **s3_settings}
    here = app_factory(plugins=PLUGINS, **{**shared, "imagemonkey.rate_limit.clients": "off"})  # accounts, counters
    settings = {**shared, "imagemonkey.plugins": " ".join(PLUGINS), "imagemonkey.data_dir": str(tmp_path / "var"),
                "sqlalchemy.url": here.app.registry.settings["sqlalchemy.url"]}
    moderator = new_moderator(here)
    site = Site(tmp_path, settings)
    try:
        a, b = site.serve(), site.serve()
        check_client_limit(a, b)

        # donations on A are held for screening; nobody screens them until the worker starts
        donor_a, voter_b = Http(a, "192.0.2.1"), Http(b, "192.0.2.2")
        donor = donor_a.new_client()
        pictures = sample.build(8, seed=3, labels=LABELS, pair_share=0)
        images = [donor_a.donate(donor, data, labels) for data, labels in pictures]
        assert {image["status"] for image in images} == {"pending"}
        assert image_of(voter_b, images[0]["id"]) is None
        site.worker()
        for image in images:
            wait_for(f"image {image['id']} screened by the worker", lambda image=image: image_of(voter_b, image["id"]),
                     timeout=120)
        assert all(image_of(donor_a, image["id"])["status"] == "public" for image in images)

        # votes on B, for donations made on A, settle once: each vote counted one time, every label verified
        voters = [voter_b.new_client(), Http(b, "192.0.2.3").new_client()]
        first = images[0]["labels"][0]["id"]
        for voter in voters:
            voter_b.call("POST", f"/api/v1/image-labels/{first}/votes", voter, json={"vote": "yes"})
        for image in images:
            voter_b.call("POST", f"/api/v1/image-labels/{image['labels'][0]['id']}/votes", moderator,
                         json={"vote": "yes"})
        for image in images:
            wait_for(f"image {image['id']}'s label verified",
                     lambda image=image: image_of(donor_a, image["id"])["labels"][0]["state"] == "verified")
        assert image_of(donor_a, images[0]["id"])["labels"][0]["votes"] == {"yes": 3, "no": 0, "unsure": 0}

        # a training queued on A runs on the worker; B answers with the active model
        queued = donor_a.call("POST", "/api/v1/playground/models", moderator, status=202)
        job = wait_for("the training job", lambda: (found := voter_b.call(
            "GET", f"/api/v1/jobs/{queued['job']['id']}", moderator))["state"] in ("done", "failed") and found,
            timeout=300, every=1.0)
        assert job["state"] == "done", job
        model_id = queued["model"]["id"]
        (model,) = voter_b.call("GET", "/api/v1/playground/models")["models"]  # active if it had a val split
        assert model["id"] == model_id and model["status"] in ("ready", "active"), model
        if model["status"] == "ready":
            voter_b.call("POST", f"/api/v1/playground/models/{model_id}/activate", moderator)
        # A predicts with the weights the worker put in S3
        prediction = donor_a.call("POST", "/api/v1/playground/predictions",
                                  files={"image": ("q.jpg", pictures[0][0], "image/jpeg")})
        assert prediction["model"]["id"] == model_id and prediction["predictions"], prediction

        # the worker updates the similar-pictures index and publishes it to S3; B answers similar:ID from the copy
        # it downloads, as this test's own app (a data dir of its own) does
        update = enqueue_job(here.app.registry, "playground.similar_update")
        job = wait_for("the similar-index update", lambda: (found := voter_b.call(
            "GET", f"/api/v1/jobs/{update}", moderator))["state"] in ("done", "failed") and found,
            timeout=120, every=1.0)
        assert job["state"] == "done" and job["result"]["size"] == len(images), job
        query = {"q": f"similar:{images[0]['id']}"}
        near = [image["id"] for image in voter_b.call("GET", "/api/v1/images", params=query)["images"]]
        assert len(near) == 3 and near == [image["id"] for image in here.get("/api/v1/images", query).json["images"]]

        # a block on A is refused on B at once (B had the voter's identity cached)
        blocked = voters[0]
        client_id = voter_b.call("GET", "/api/v1/me", blocked)["client_id"]
        donor_a.call("POST", f"/api/v1/contributors/{client_id}/revert", moderator)
        refused = voter_b.call("POST", f"/api/v1/image-labels/{first}/votes", blocked, status=403,
                               json={"vote": "no"})
        assert refused["error"]["code"] == "blocked"

        # a named token revoked on A answers 401 on B at once
        named = donor_a.call("POST", "/api/v1/me/tokens", moderator, status=201,
                             json={"name": "ci", "scopes": ["read"]})
        voter_b.call("GET", "/api/v1/me", named["token"])
        donor_a.call("DELETE", f"/api/v1/me/tokens/{named['id']}", moderator, status=204)
        voter_b.call("GET", "/api/v1/me", named["token"], status=401)
    except (AssertionError, TimeoutError) as exc:
        raise AssertionError(f"{exc}\n{site.tail()}") from exc
    finally:
        site.stop()
