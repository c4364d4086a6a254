"""The query language: parsing (errors with positions, operators, precedence), compiling (aliases, plans that use
the indexes) and results over HTTP equal to a brute-force evaluation on random datasets (SQLite and PostgreSQL)."""
from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.query import Compiler, QueryError, image_query, parse_query
from imagemonkey.query.dataset import insert_images
from imagemonkey.query.parser import And, Comparison, Label, Not, Or, Prefixed
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client

LABELS = ("dog", "cat", "car", "person", "cell phone")


def add_images(app: TestApp, images: list[tuple[int, int, int, str, tuple[str, ...]]]) -> None:
    with app_request(app.app.registry) as request:
        insert_images(request.dbsession, images)


def ids(app: TestApp, query: str, **params: Any) -> list[int]:
    """Every matching id, following the cursors."""
    found: list[int] = []
    cursor = None
    while True:
        page = app.get("/api/v1/images", {"q": query, **params, **({"cursor": cursor} if cursor else {})}).json
        found += [int(image["id"]) for image in page["images"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


# -- parsing -----------------------------------------------------------------------------------------------------------


def test_every_operator_parses() -> None:
    assert parse_query("dog") == Label("dog", 0)
    assert parse_query('"cell phone"') == Label("cell phone", 0, quoted=True)
    assert parse_query("~dog") == Not(Label("dog", 1))
    assert parse_query("dog & cat") == And((Label("dog", 0), Label("cat", 6)))
    assert parse_query("dog | cat") == Or((Label("dog", 0), Label("cat", 6)))
    assert parse_query("verified:dog") == Prefixed("verified", Label("dog", 9), 0)
    for operator in (">=", "<=", ">", "<", "=", "!="):
        assert parse_query(f"width {operator} 1024") == Comparison("width", operator, 1024, 0)


def test_precedence_not_binds_tightest_then_and_then_or() -> None:
    a, b, c = Label("a", 0), Label("b", 4), Label("c", 8)
    assert parse_query("a | b & c") == Or((a, And((b, c))))
    assert parse_query("a & b | c") == Or((And((Label("a", 0), Label("b", 4))), Label("c", 8)))
    assert parse_query("~a & b") == And((Not(Label("a", 1)), Label("b", 5)))
    assert parse_query("(a | b) & c") == And((Or((Label("a", 1), Label("b", 5))), Label("c", 10)))
    assert parse_query("~(a | b)") == Not(Or((Label("a", 2), Label("b", 6))))


@pytest.mark.parametrize(("query", "position"), [
    ("dog &", 5), ("dog & (cat", 10), ("dog @ cat", 4), ("dog cat", 4), (")", 0), ("dog | | cat", 6),
    ("width >=", 8), ('"cell phone', 0), ("", 0), ("   ", 0), ("dog)", 3), ("width >= x", 9),
])
def test_syntax_errors_point_at_the_mistake(query: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.position == position
    assert caught.value.code == "query_syntax"


def test_too_long_and_too_many_terms() -> None:
    with pytest.raises(QueryError, match="longer"):
        parse_query("dog | " * 200 + "cat")
    with pytest.raises(QueryError, match="terms"):
        parse_query(" | ".join(["dog"] * 65))


# -- over HTTP ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def small(app: TestApp) -> TestApp:
    add_images(app, [(1, 2000, 1000, "public", ("dog",)), (2, 800, 600, "public", ("dog", "cat")),
                     (3, 1024, 768, "public", ("car", "person")), (4, 640, 480, "public", ("cell phone",)),
                     (5, 4000, 3000, "public", ("dog", "person")), (6, 300, 300, "pending", ("dog",))])
    return app


def test_operators_and_aliases_over_http(small: TestApp) -> None:
    assert ids(small, "dog") == [5, 2, 1]  # newest first; the pending image is not public
    assert ids(small, "puppy") == [5, 2, 1]  # an alias resolves to its label
    assert ids(small, "dogs") == [5, 2, 1]  # so does a plural
    assert ids(small, "dog & ~cat") == [5, 1]
    assert ids(small, "(car | cat) & person") == [3]
    assert ids(small, '"cell phone"') == [4]
    assert ids(small, "width >= 1024") == [5, 3, 1]
    assert ids(small, "dog & width < 1000") == [2]
    assert ids(small, "~dog") == [4, 3]
    assert ids(small, "DOG & Person") == [5]


def test_plurals_of_aliases_and_irregular_plurals_resolve(small: TestApp) -> None:
    assert ids(small, "puppies") == [5, 2, 1]  # the plural of an alias
    assert ids(small, "Puppies") == [5, 2, 1]
    assert ids(small, "kittens") == [2]  # kitten is an alias of cat
    assert ids(small, "cats | people") == [5, 3, 2]  # person's irregular plural
    assert ids(small, '"cell phones"') == [4]
    mice = small.get("/api/v1/images", {"q": "field mice"}, status=400).json["error"]  # two labels, no operator
    assert mice["code"] == "query_syntax"
    assert ids(small, '"field mice"') == []  # an alias of rodent, irregular plural: known, on no image
    unknown = small.get("/api/v1/images", {"q": "unicorns"}, status=400).json["error"]
    assert unknown["code"] == "unknown_label" and "'unicorns'" in unknown["message"]


def test_keyset_pages_of_a_query(small: TestApp) -> None:
    first = small.get("/api/v1/images", {"q": "dog | car", "limit": 2}).json
    assert [image["id"] for image in first["images"]] == ["5", "3"]
    second = small.get("/api/v1/images", {"q": "dog | car", "limit": 2, "cursor": first["next_cursor"]}).json
    assert [image["id"] for image in second["images"]] == ["2", "1"]
    assert second["next_cursor"] is None


def test_the_donor_sees_their_pending_image_in_a_query(small: TestApp) -> None:
    token = new_client(small)
    assert small.get("/api/v1/images", {"q": "dog"}, headers=auth(token)).json["images"][0]["id"] == "5"


@pytest.mark.parametrize(("query", "code", "position"), [
    ("dog & (cat", "query_syntax", 10), ("dog & zorblax", "unknown_label", 6), ("frozen:dog", "unknown_prefix", 0),
    ("depth > 3", "unknown_field", 0), ("dog &&", "query_syntax", 5),
])
def test_mistakes_are_400_json_with_the_position(small: TestApp, query: str, code: str, position: int) -> None:
    error = small.get("/api/v1/images", {"q": query}, status=400).json["error"]
    assert error["code"] == code
    assert error["position"] == position
    assert error["message"]


def test_q_and_label_together_are_anded(small: TestApp) -> None:
    both = small.get("/api/v1/images", {"q": "dog | person", "label": "cat"}).json["images"]
    assert [image["id"] for image in both] == \
        [image["id"] for image in small.get("/api/v1/images", {"q": "cat & (dog | person)"}).json["images"]]
    assert {label["label"] for image in both for label in image["labels"]} >= {"cat"}


# -- plans -------------------------------------------------------------------------------------------------------------


def plan(app: TestApp, query: str) -> str:
    """The database's plan for the first page of ``query``."""
    registry = app.app.registry
    with app_request(registry) as request:
        statement, _ = image_query(registry, query)
        bind = request.dbsession.get_bind()
        compiled = statement.limit(50).compile(bind, compile_kwargs={"literal_binds": True})
        if bind.dialect.name == "sqlite":
            rows = request.dbsession.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            return "\n".join(str(row[-1]) for row in rows)
        request.dbsession.execute(text("SET LOCAL enable_seqscan = off"))  # small tables: ask what it *can* use
        return "\n".join(row[0] for row in request.dbsession.execute(text(f"EXPLAIN {compiled}")))


def test_plans_use_the_indexes(small: TestApp) -> None:
    driven = plan(small, "dog & ~cat & width > 10")
    dialect = small.app.registry["db_engine"].dialect.name
    if dialect == "sqlite":
        assert "ix_image_label_label_image_id" in driven  # the driving label's range
        assert "INDEX sqlite_autoindex_image_label_1 (image_id=? AND label=?)" in driven  # the NOT EXISTS lookup
        assert "SEARCH image USING INTEGER PRIMARY KEY" in driven
        assert "SCAN" not in driven
    else:
        assert "ix_image_label_label_image_id" in driven
        assert any("Index Cond" in line and "'cat'" in line for line in driven.splitlines())  # NOT EXISTS lookup
        assert "Seq Scan" not in driven
    undriven = plan(small, "dog | cat")
    if dialect == "sqlite":
        assert "(image_id=? AND label=?)" in undriven and "SCAN image_label" not in undriven
    else:
        assert any("Index Cond" in line and "'cat'" in line for line in undriven.splitlines())
        assert "Seq Scan on image_label" not in undriven


# -- brute force -------------------------------------------------------------------------------------------------------


def queries() -> st.SearchStrategy[str]:
    term = st.one_of(st.sampled_from([f'"{name}"' for name in LABELS]),
                     st.builds(lambda op, n: f"width {op} {n}", st.sampled_from([">=", "<", "=", "!="]),
                               st.integers(0, 20)))
    return st.recursive(term, lambda inner: st.one_of(
        st.builds(lambda a: f"~{a}", inner),
        st.builds(lambda a, b: f"({a} & {b})", inner, inner),
        st.builds(lambda a, b: f"({a} | {b})", inner, inner),
        st.builds(lambda a, b, c: f"{a} & {b} | ~{c}", inner, inner, inner)), max_leaves=6)


def evaluate(node: Any, labels: set[str], width: int, catalog: Any) -> bool:
    """The brute-force meaning of a query on one image."""
    if isinstance(node, Label):
        return catalog.resolve(node.name) in labels
    if isinstance(node, Not):
        return not evaluate(node.operand, labels, width, catalog)
    if isinstance(node, And):
        return all(evaluate(child, labels, width, catalog) for child in node.operands)
    if isinstance(node, Or):
        return any(evaluate(child, labels, width, catalog) for child in node.operands)
    assert isinstance(node, Comparison)
    return {">=": width >= node.value, "<": width < node.value, "=": width == node.value,
            "!=": width != node.value}[node.operator]


@pytest.mark.parametrize("seed", [1, 2])
def test_results_equal_brute_force_on_random_datasets(app_factory: Callable[..., TestApp], seed: int) -> None:
    app = app_factory()
    rng = random.Random(seed)
    dataset = {i: (rng.randint(0, 20), set(rng.sample(LABELS, rng.randint(0, 3)))) for i in range(1, 61)}
    add_images(app, [(i, width, 10, "public", tuple(labels)) for i, (width, labels) in dataset.items()])
    catalog = app.app.registry["catalog"]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(queries())
    def check(query: str) -> None:
        node = parse_query(query)
        expected = sorted((i for i, (width, labels) in dataset.items() if evaluate(node, labels, width, catalog)),
                          reverse=True)
        assert ids(app, query, limit=200) == expected, query

    check()


def test_compiler_names_the_driving_label(app: TestApp) -> None:
    compiler = Compiler(app.app.registry["catalog"], {})
    assert compiler.compile(parse_query("~cat & hound & car")).driver == "dog"
    assert compiler.compile(parse_query("cat | dog")).driver is None
