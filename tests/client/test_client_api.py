"""The Python client against a real ``imagemonkey serve`` (validate enabled): donate, query, vote, tasks, errors."""
from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from imagemonkey_client import (
    BadRequest,
    Client,
    NotFound,
    RateLimited,
    TokenStore,
    TransportError,
    Unauthenticated,
)
from imagemonkey_client.cli import main as cli_main
from imagemonkey_client.tokens import default_path

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).parent))
from client_support import picture, start_server  # noqa: E402
from cutting_proxy import CuttingProxy  # noqa: E402


def test_donate_then_read_it_back(server: LiveServer, make_client: Callable[..., Client]) -> None:
    client = make_client(server.url)
    answer = client.donate(picture(1), ["dog"], source_url="https://example.org/a.jpg",
                           page_url="https://example.org/page")
    image = answer["image"]
    assert image["status"] == "public" and [label["label"] for label in image["labels"]] == ["dog"]
    assert client.image(image["id"])["id"] == image["id"]
    again = client.donate(picture(1), ["cat"])  # the same bytes: the labels go to the stored image
    assert again["duplicate"] is True and again["image"]["id"] == image["id"]


def test_images_iterates_over_every_page(server: LiveServer, make_client: Callable[..., Client]) -> None:
    client = make_client(server.url)
    donated = {client.donate(picture(100 + i), ["person"])["image"]["id"] for i in range(7)}
    client.donate(picture(200), ["car"])
    found = [image["id"] for image in client.images(q="person", page_size=2)]  # four pages of two
    assert len(found) == len(set(found)) and donated <= set(found)
    assert not set(found) & {image["id"] for image in client.images(q="car & ~person", page_size=2)}


def test_vote_and_next_task(server: LiveServer, make_client: Callable[..., Client]) -> None:
    donor, voter = make_client(server.url), make_client(server.url, token=None)
    voter.store = TokenStore(Path(str(voter.store.path) + ".voter"))  # a second contributor
    donor.donate(picture(300), ["cat"])
    task = voter.next_task(kind="validate", label="cat")
    assert task is not None and task["kind"] == "validate"
    label_id = task["image_label"]["id"]
    voted = voter.vote(label_id, "yes")
    assert voted["id"] == label_id and "votes" in voted
    deadline = time.monotonic() + 20
    while voter.image_label(label_id)["votes"]["yes"] != 1:  # votes settle in batches, right after the answer
        assert time.monotonic() < deadline, "the vote was not counted"
        time.sleep(0.1)
    while (task := voter.next_task(kind="validate", label="cat")) is not None:  # never the same label twice
        assert task["image_label"]["id"] != label_id
        voter.vote(task["image_label"]["id"], "no")
    assert voter.next_task(kind="validate", label="cat") is None


def test_errors_are_typed_with_the_api_code(server: LiveServer, make_client: Callable[..., Client]) -> None:
    client = make_client(server.url)
    with pytest.raises(NotFound) as missing:
        client.image("987654")
    assert missing.value.status == 404 and missing.value.code == "not_found"
    with pytest.raises(BadRequest) as syntax:
        next(client.images(q="dog & (cat"))
    assert syntax.value.code == "query_syntax" and isinstance(syntax.value.details["position"], int)
    with pytest.raises(Unauthenticated) as anonymous:
        make_client(server.url, token="not-a-token").vote("1", "yes")
    assert anonymous.value.code == "unauthenticated"


def test_anonymous_token_is_kept_per_server_and_renewed(server: LiveServer, make_client: Callable[..., Client],
                                                        tmp_path: Path) -> None:
    first = make_client(server.url)
    first.donate(picture(400), ["dog"])
    kept = first.store.get(server.url)
    assert kept and first.token == kept
    second = make_client(server.url + "/")  # the same server: the same contributor
    assert second.token == kept
    second.store.put(server.url, "forgotten-by-the-server")
    third = make_client(server.url)
    third.donate(picture(401), ["dog"])  # the server answers 401: a new anonymous token is made and kept
    assert third.store.get(server.url) not in (None, kept, "forgotten-by-the-server")


def test_token_store_honours_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "imagemonkey-client" / "tokens.json"
    store = TokenStore()
    store.put("http://a.example/", "t1")
    assert TokenStore().get("http://a.example") == "t1" and oct(default_path().stat().st_mode)[-3:] == "600"


def test_cli_donate_and_query(server: LiveServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(picture(500))
    assert cli_main(["--url", server.url, "--quiet", "donate", str(photo), "--label", "bicycle"]) == 0
    donated = json.loads(capsys.readouterr().out)
    assert donated["id"] and (tmp_path / "xdg" / "imagemonkey-client" / "tokens.json").exists()
    assert cli_main(["--url", server.url, "query", "bicycle"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [donated["id"]]
    assert cli_main(["--url", server.url, "query", "bicycle &"]) == 1
    assert "query_syntax" in capsys.readouterr().err


def test_rate_limit_waits_for_retry_after(tmp_path: Path, make_client: Callable[..., Client]) -> None:
    live = start_server(tmp_path / "limited", "", **{"imagemonkey.rate_limit.requests": "1/second"})
    try:
        waits: list[float] = []

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            time.sleep(seconds)

        impatient = make_client(live.url, retries=0)
        patient = make_client(live.url, sleep=sleep)
        for _ in range(3):  # one request a second: each call is told to wait a second, waits, and gets its answer
            assert patient.info()["name"]
        assert len(waits) >= 2 and all(wait == 1.0 for wait in waits)
        with pytest.raises(RateLimited) as limited:  # the same address, without retries: the typed error
            impatient.info()
        assert limited.value.code == "rate_limited" and limited.value.retry_after == 1.0
    finally:
        live.stop()


def test_broken_connections_retry_reads_but_not_donations(server: LiveServer,
                                                          make_client: Callable[..., Client]) -> None:
    proxy = CuttingProxy(server.port, cut_after=2000, cuts=1)  # the first answer breaks in its body
    try:
        client = make_client(proxy.url, backoff=0.01)
        assert client.labels()["labels"]  # a GET: tried again on a new connection
        assert proxy.cut == 1 and bytes(proxy.sent).count(b"GET /api/v1/labels") == 2
        client.token  # noqa: B018  (the anonymous token first, so the cut hits the donation)
        proxy.cut_after, proxy.cuts_left = 40, 1  # in the headers: an answer that is no answer
        with pytest.raises(TransportError):
            client.donate(picture(600), ["dog"])
        assert bytes(proxy.sent).count(b"POST /api/v1/images") == 1  # a donation is never sent twice
    finally:
        proxy.stop()
