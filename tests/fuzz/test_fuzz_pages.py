"""Hypothesis against the server-rendered pages' query strings and paths (issue 21, item 13).

The OpenAPI document describes ``/api/`` only, so the schema fuzzer never sends ``/browse?q=%FF``. Here every
page route of an app with every plugin gets generated query strings: known parameter names and random ones,
values that are text in any script, numbers far beyond 64 bits, and raw percent-encoded bytes (not always
UTF-8); and paths with such bytes. Each answer must be below 500 (a page answers 4xx for what it cannot use).
Bounded by ``FUZZ_EXAMPLES`` per route and caller, like the schema fuzzer.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pyramid.interfaces import IRoutesMapper
from test_fuzz_api import FUZZ_EXAMPLES, picture
from webtest import TestApp

from imagemonkey.plugins import installed_plugins
from imagemonkey.testing import auth, new_client, new_moderator

#: The names pages read (and a few they do not), so generated values reach the code behind them.
NAMES = ["q", "label", "limit", "cursor", "status", "state", "kind", "skip", "size", "revision", "reason", "order",
         "name", "n", "donor", "id", "image_id", "next", "page"]

raw_bytes = st.binary(min_size=1, max_size=6).map(lambda data: "".join(f"%{byte:02X}" for byte in data))
big_numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
text = st.text(max_size=40).map(lambda value: quote(value, safe=""))
queries = st.sampled_from(["dog", "dog & ~cat", "width >= 9223372036854775808", "(", "verified:dog"]).map(quote)
values = st.one_of(raw_bytes, big_numbers, text, queries, st.just(""))
names = st.one_of(st.sampled_from(NAMES), raw_bytes, text)
query_strings = st.lists(st.tuples(names, values), max_size=4).map(
    lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))
#: What the attack of issue 21 sent, tried on every page before the generated cases.
ATTACK_QUERIES = ["q=%FF", "label=%FF", "q=%C0%80&label=%ED%A0%80", "%FF=1",
                  "q=" + quote("width >= 9223372036854775808"), "q=" + quote("height < 2147483648"),
                  "limit=99999999999999999999&cursor=%FF"]


def page_patterns(testapp: TestApp) -> list[str]:
    """The page routes' patterns (everything outside ``/api/`` and the static files)."""
    mapper = testapp.app.registry.getUtility(IRoutesMapper)
    patterns = {route.pattern for route in mapper.get_routes()}
    return sorted(p for p in patterns if not p.startswith(("/api/", "/static", "static/")) and "*" not in p)


@pytest.fixture
def site(app_factory: Callable[..., TestApp]) -> tuple[TestApp, str, dict[str, str]]:
    testapp = app_factory(plugins=tuple(sorted(installed_plugins())), **{"imagemonkey.moderation": "post"})
    donor = new_client(testapp)
    image = testapp.post("/api/v1/images", params=[("label", "dog")], upload_files=[("image", "p.png", picture(1))],
                         headers=auth(donor)).json["image"]
    return testapp, image["id"], auth(new_moderator(testapp))


def fuzz_page(testapp: TestApp, pattern: str, image_id: str, headers: dict[str, str]) -> None:
    """``FUZZ_EXAMPLES`` generated requests to one page route; raises on the first 5xx."""

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(query=query_strings, segment=st.one_of(st.none(), raw_bytes, big_numbers))
    @example(query="", segment="%FF")
    @example(query="", segment="%ED%A0%80")
    def run(query: str, segment: str | None) -> None:
        target = segment if segment is not None else image_id
        path = pattern.replace("{id}", target).replace("{image_id}", target)
        answer = testapp.get(f"{path}?{query}", headers=headers, expect_errors=True)
        assert answer.status_int < 500, f"{path}?{query} -> {answer.status}"

    for query in ATTACK_QUERIES:
        run = example(query=query, segment=None)(run)
    run()


def test_page_query_strings_and_paths_never_answer_5xx(site: tuple[TestApp, str, dict[str, str]]) -> None:
    testapp, image_id, moderator = site
    patterns = page_patterns(testapp)
    assert len(patterns) >= 10
    failures: list[str] = []
    for pattern in patterns:
        for caller, headers in (("anonymous", {}), ("moderator", moderator)):
            try:
                fuzz_page(testapp, pattern, image_id, headers)
            except Exception as exc:  # every route's failure (a 5xx, or an exception out of the app), together
                failures.append(f"{pattern} ({caller}): {str(exc).splitlines()[0]}")
    assert not failures, "\n".join(failures)
