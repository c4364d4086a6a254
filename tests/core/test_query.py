"""The query language: parsing (errors with positions, operators, precedence), compiling (aliases, plans that use
the indexes) and results over HTTP equal to a brute-force evaluation on random datasets (SQLite and PostgreSQL)."""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.models import Image
from imagemonkey.query import Compiler, QueryError, image_query, parse_query, query_prefixes
from imagemonkey.query.dataset import insert_images
from imagemonkey.query.parser import And, Comparison, Label, Not, Or, Prefixed, Unlabeled
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
    assert parse_query("any:animal") == Prefixed("any", Label("animal", 4), 0)
    assert parse_query("unlabeled | Unlabeled") == Or((Unlabeled(0), Unlabeled(12)))
    assert parse_query('"unlabeled"') == Label("unlabeled", 0, quoted=True)  # in quotes: a label name
    assert parse_query("labels >= 2 & id = 3") == And((Comparison("labels", ">=", 2, 0), Comparison("id", "=", 3, 14)))


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


def test_graph_terms_counts_and_ids_over_http(small: TestApp) -> None:
    add_images(small, [(7, 100, 100, "public", ())])
    assert ids(small, "any:animal") == [5, 2, 1]  # dog and cat are mammals, mammals are animals
    assert ids(small, "any:mammal & ~cat") == [5, 1]
    assert ids(small, "any:vehicle") == [3]
    assert ids(small, "any:dog") == ids(small, "dog")  # a label is one of its own kinds
    assert ids(small, "any:puppies") == ids(small, "dog")  # aliases and plurals resolve
    assert ids(small, "unlabeled") == [7]
    assert ids(small, "UNLABELED | cat") == [7, 2]
    assert ids(small, "labels >= 2") == [5, 3, 2]
    assert ids(small, "labels = 0") == [7]
    assert ids(small, "id <= 3 & id != 2") == [3, 1]
    unknown = small.get("/api/v1/images", {"q": "any:unicorn"}, status=400).json["error"]
    assert unknown["code"] == "unknown_label" and unknown["position"] == 4
    quoted = small.get("/api/v1/images", {"q": '"unlabeled"'}, status=400).json["error"]
    assert quoted["code"] == "unknown_label"  # in quotes it is a label, and the catalog has none of that name
    field = small.get("/api/v1/images", {"q": "dog & annotations = 0"}, status=400).json["error"]
    assert field["code"] == "unknown_field" and field["position"] == 6  # annotate is not enabled here
    assert "labels" in field["message"] and "id" in field["message"]


def test_orders_newest_oldest_random(small: TestApp) -> None:
    assert ids(small, "dog", order="oldest") == [1, 2, 5]
    assert ids(small, "dog", order="newest") == [5, 2, 1]
    first = small.get("/api/v1/images", {"order": "oldest", "limit": 2}).json
    assert [image["id"] for image in first["images"]] == ["1", "2"]
    second = small.get("/api/v1/images", {"order": "oldest", "limit": 2, "cursor": first["next_cursor"]}).json
    assert [image["id"] for image in second["images"]] == ["3", "4"]
    seen: set[str] = set()
    for _ in range(30):
        page = small.get("/api/v1/images", {"q": "dog | car", "order": "random", "limit": 2}).json
        assert page["next_cursor"] is None and len(page["images"]) == 2
        assert {image["id"] for image in page["images"]} <= {"5", "3", "2", "1"}
        seen.update(image["id"] for image in page["images"])
    assert seen == {"5", "3", "2", "1"}
    everything = small.get("/api/v1/images", {"order": "random", "limit": 50}).json["images"]
    assert sorted(int(image["id"]) for image in everything) == [1, 2, 3, 4, 5]  # wraps round past the pivot
    error = small.get("/api/v1/images", {"order": "sideways"}, status=400).json["error"]
    assert error["code"] == "invalid_order" and "newest" in error["message"]
    page = small.get("/browse", {"q": "dog", "order": "oldest"})
    assert page.text.index('data-image-id="1"') < page.text.index('data-image-id="5"')
    assert small.get("/browse", {"order": "sideways"}, status=400).text.count("order must be one of") == 1


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


def plan(app: TestApp, query: str, public: bool = False) -> str:
    """The database's plan for the first page of ``query`` (``public``: as a visitor asks it, public images only)."""
    registry = app.app.registry
    with app_request(registry) as request:
        statement, _ = image_query(registry, query)
        if public:
            statement = statement.where(Image.status == "public")
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


def test_plans_of_the_graph_and_count_terms(small: TestApp) -> None:
    """First pages read images newest first by primary key (or an index in id order), never sort all matches."""
    dialect = small.app.registry["db_engine"].dialect.name
    for query in ("any:animal & ~cat", "labels >= 3", "unlabeled", "labels = 1", "id < 4", "labels != 2"):
        found = plan(small, query, public=True)
        if dialect == "sqlite":
            assert "TEMP B-TREE" not in found, (query, found)  # no sort of every match
            assert "SCAN image_label" not in found, (query, found)
        else:
            assert "Sort" not in found and "Seq Scan on image_label" not in found, (query, found)
    kinds = plan(small, "any:animal")
    assert ("(image_id=? AND label=?)" if dialect == "sqlite" else "Index Cond") in kinds
    if dialect == "sqlite":
        assert "ix_image_status_label_count_id (status=? AND label_count=?)" in plan(small, "unlabeled", public=True)


# -- brute force -------------------------------------------------------------------------------------------------------


CAPTION_WORDS = ("red", "car", "blue", "dog")
CAPTION_TERMS = [f'caption:"{a} {b}"' for a in CAPTION_WORDS for b in CAPTION_WORDS] + \
    [f"caption:{word}" for word in CAPTION_WORDS] + ['caption:"Red, CAR"', 'caption:"?"']


def queries(count_fields: tuple[str, ...] = (), captions: bool = False) -> st.SearchStrategy[str]:
    """Random queries over LABELS, every kind of term: labels, ``any:``, ``unlabeled``, comparisons of the core
    fields and of ``count_fields`` (a plugin's), and with ``captions`` caption phrases."""
    fields = ("width", "labels", "id", *count_fields)
    term = st.one_of(st.sampled_from([f'"{name}"' for name in LABELS] + (CAPTION_TERMS if captions else [])),
                     st.sampled_from(["any:animal", "any:mammal", "any:vehicle", "any:dog", "unlabeled"]),
                     st.builds(lambda field, op, n: f"{field} {op} {n}", st.sampled_from(fields),
                               st.sampled_from([">=", "<", "=", "!=", ">", "<="]), st.integers(0, 20)))
    return st.recursive(term, lambda inner: st.one_of(
        st.builds(lambda a: f"~{a}", inner),
        st.builds(lambda a, b: f"({a} & {b})", inner, inner),
        st.builds(lambda a, b: f"({a} | {b})", inner, inner),
        st.builds(lambda a, b, c: f"{a} & {b} | ~{c}", inner, inner, inner)), max_leaves=6)


COMPARE = {">=": int.__ge__, "<": int.__lt__, "=": int.__eq__, "!=": int.__ne__, ">": int.__gt__, "<=": int.__le__}


def evaluate(node: Any, image: dict[str, Any], catalog: Any) -> bool:
    """The brute-force meaning of a query on one image (``{"labels", "width", "id", "annotations"}``)."""
    labels = image["labels"]
    if isinstance(node, Label):
        return catalog.resolve(node.name) in labels
    if isinstance(node, Unlabeled):
        return not labels
    if isinstance(node, Prefixed) and node.prefix == "caption":
        wanted = re.findall(r"[^\W_]+", node.label.name.lower())
        return bool(wanted) and any(has_run(re.findall(r"[^\W_]+", text.lower()), wanted)
                                    for text in image.get("captions", ()))
    if isinstance(node, Prefixed):
        assert node.prefix == "any"
        wanted = catalog.resolve(node.label.name)
        return any(wanted == name or wanted in ancestors(catalog, name) for name in labels)
    if isinstance(node, Not):
        return not evaluate(node.operand, image, catalog)
    if isinstance(node, And):
        return all(evaluate(child, image, catalog) for child in node.operands)
    if isinstance(node, Or):
        return any(evaluate(child, image, catalog) for child in node.operands)
    assert isinstance(node, Comparison)
    value = len(labels) if node.field == "labels" else image[node.field]
    return COMPARE[node.operator](value, node.value)


def has_run(words: list[str], wanted: list[str]) -> bool:
    """``wanted`` appears in ``words`` as consecutive words."""
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def ancestors(catalog: Any, name: str) -> set[str]:
    """Every label ``name`` is (following ``is_a`` upwards from the catalog entries, not the precomputed graph)."""
    found: set[str] = set()
    stack = list(catalog.by_name[name].is_a)
    while stack:
        parent = stack.pop()
        if parent not in found:
            found.add(parent)
            stack.extend(catalog.by_name[parent].is_a)
    return found


def random_dataset(rng: random.Random) -> dict[int, dict[str, Any]]:
    """60 images with 0 to 3 of LABELS (some unlabeled) and a random width."""
    return {i: {"id": i, "width": rng.randint(0, 20), "labels": set(rng.sample(LABELS, rng.randint(0, 3)))}
            for i in range(1, 61)}


def check_against_brute_force(app: TestApp, dataset: dict[int, dict[str, Any]], count_fields: tuple[str, ...],
                              captions: bool = False) -> None:
    catalog = app.app.registry["catalog"]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(queries(count_fields, captions), st.sampled_from([200, 3]))
    def check(query: str, limit: int) -> None:
        node = parse_query(query)
        expected = sorted((i for i, image in dataset.items() if evaluate(node, image, catalog)), reverse=True)
        assert ids(app, query, limit=limit) == expected, query

    check()


@pytest.mark.parametrize("seed", [1, 2])
def test_results_equal_brute_force_on_random_datasets(app_factory: Callable[..., TestApp], seed: int) -> None:
    app = app_factory()
    dataset = random_dataset(random.Random(seed))
    add_images(app, [(i, image["width"], 10, "public", tuple(image["labels"])) for i, image in dataset.items()])
    check_against_brute_force(app, dataset, ())


def test_caption_terms_equal_brute_force(app_factory: Callable[..., TestApp]) -> None:
    """Caption phrases (driving the query or inside OR and NOT) with every other form, on random captions: zero to
    three per image, so that a phrase could span two captions of one image if the index let it; pages of 3 too."""
    app = app_factory()
    rng = random.Random(24)
    dataset = random_dataset(rng)
    add_images(app, [(i, image["width"], 10, "public", tuple(image["labels"])) for i, image in dataset.items()])
    rows = []
    for i, image in dataset.items():
        image["captions"] = [" ".join(rng.choice(CAPTION_WORDS + ("a", "the_", "x")) for _ in range(rng.randint(1, 4)))
                             for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        rows += [{"image_id": i, "text": text} for text in image["captions"]]
    with app_request(app.app.registry) as request:
        request.dbsession.execute(text(
            "INSERT INTO caption (image_id, text, language, up, down, locked, created_at) "
            "VALUES (:image_id, :text, 'en', 0, 0, :locked, '2026-01-01 00:00:00')"),
            [{**row, "locked": False} for row in rows])
        mark_changed(request.dbsession)
    check_against_brute_force(app, dataset, (), captions=True)


@pytest.mark.counters_unchecked("outlines go in as bare rows, without annotate's counters")
def test_plugin_count_fields_equal_brute_force(app_factory: Callable[..., TestApp]) -> None:
    """annotate's ``annotations <op> n`` (through ``imagemonkey_query_count_fields``) with every other form."""
    app = app_factory(plugins=("annotate",))
    rng = random.Random(3)
    dataset = random_dataset(rng)
    add_images(app, [(i, image["width"], 10, "public", tuple(image["labels"])) for i, image in dataset.items()])
    with app_request(app.app.registry) as request:
        rows = request.dbsession.execute(text("SELECT id, image_id, label FROM image_label")).all()
        outlined = [row for row in rows if rng.random() < 0.5]
        for image_label_id, image_id, label in outlined:  # some with an empty outline: not counted
            request.dbsession.execute(text(
                "INSERT INTO annotate_annotation (image_label_id, image_id, label, revision, last_revision, shapes, "
                "shape_count, created_at, updated_at) VALUES (:l, :i, :label, 1, 1, '[]', :n, :t, :t)"),
                {"l": image_label_id, "i": image_id, "label": label, "n": rng.choice((0, 1, 2)),
                 "t": "2026-01-01 00:00:00"})
        counts = dict(request.dbsession.execute(text(
            "SELECT image_id, COUNT(*) FROM annotate_annotation WHERE shape_count > 0 GROUP BY image_id")).all())
        mark_changed(request.dbsession)
    for i, image in dataset.items():
        image["annotations"] = counts.get(i, 0)
    assert any(image["annotations"] == 0 for image in dataset.values())
    assert any(image["annotations"] >= 2 for image in dataset.values())
    check_against_brute_force(app, dataset, ("annotations",))


def test_compiler_names_the_driving_label(app: TestApp) -> None:
    compiler = Compiler(app.app.registry["catalog"], {})
    assert compiler.compile(parse_query("~cat & hound & car")).driver == "dog"
    assert compiler.compile(parse_query("cat | dog")).driver is None


def test_a_caption_phrase_drives_its_query_from_the_full_text_index(small: TestApp) -> None:
    """``caption:"red car"`` (alone or ANDed with a label) reads images in id order from the captions' full-text
    index, never a sort or a list of every match (SQLite: FTS5 in rowid order; PostgreSQL: ``caption_word``)."""
    dialect = small.app.registry["db_engine"].dialect.name
    for query in ('caption:"red car"', 'dog & caption:"red car" & ~cat'):
        found = plan(small, query, public=True)
        if dialect == "sqlite":
            assert "VIRTUAL TABLE INDEX" in found and "TEMP B-TREE" not in found, (query, found)
            assert "LIST SUBQUERY" not in found and "SCAN image " not in found + " ", (query, found)
        else:
            sorts = [line for line in found.splitlines() if "Sort Key" in line and "length(word" not in line]
            assert "caption_word_pkey" in found and not sorts, (query, found)  # (the one sort picks the word)
            assert "ix_caption_text_search" not in found, (query, found)
    compiler = Compiler(small.app.registry["catalog"], query_prefixes(small.app.registry))
    compiled = compiler.compile(parse_query('dog & caption:"Red, car!"'))
    assert compiled.phrase == ("red", "car") and compiled.driver is None
    assert compiler.compile(parse_query('caption:"red car" | dog')).phrase == ()
