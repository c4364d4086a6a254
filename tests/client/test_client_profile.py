"""The Python client's ``me()``, ``set_profile()`` and ``person()`` against a real ``imagemonkey serve``."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from imagemonkey_client import Client, Forbidden, NotFound

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).parent))
from client_support import picture  # noqa: E402


def test_me_set_profile_and_person(server: LiveServer, make_client: Callable[..., Client]) -> None:
    signed = requests.post(f"{server.url}/api/v1/accounts", json={"username": "clio",
                                                                   "password": "plum-harbor-quietly-77"}, timeout=30)
    client = make_client(server.url, token=signed.json()["token"])
    client.donate(picture(900), ["dog"])
    me = client.me()
    assert me["user"]["name"] == "clio" and me["today"]["total"] == 2 and me["streak_days"] == 1
    with pytest.raises(NotFound):
        client.person("clio")
    assert client.set_profile(public_profile=True) == {"public_profile": True, "top_list": False}
    profile = make_client(server.url).person("clio")
    assert profile["stats"]["donations"] == 1 and profile["streak_days"] == 1
    with pytest.raises(ValueError):
        client.set_profile()
    with pytest.raises(Forbidden):
        make_client(server.url).set_profile(top_list=True)  # an anonymous token has no profile: 403
