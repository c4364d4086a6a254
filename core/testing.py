"""pytest fixtures for ImageMonkey and its plugins: ``pytest_plugins = ["imagemonkey.testing"]``.

- ``app_factory(plugins=(...), **settings)`` builds a real app on a real, migrated database
  (SQLite in a temporary folder by default; PostgreSQL when ``IMAGEMONKEY_TEST_DB`` is a
  ``postgresql://`` URL) and returns a WebTest ``TestApp``.
- ``new_client(testapp)`` and ``new_moderator(testapp)`` return tokens; ``auth(token)``
  builds the header.
- ``donate(testapp, token, image=None, labels=(...))`` donates a picture through the API;
  ``jpeg(seed=..., size=(w, h))`` makes one (different seeds are different pictures).
- Every app gets :data:`TEST_SETTINGS` first (post-moderation, rate limits off, strict writes):
  pass ``**{"imagemonkey.moderation": "pre"}`` to ``app_factory`` to test pre-moderation.
- ``settle_now(testapp)`` waits for work done after a commit (validate's vote settlement, job messages).
- ``run_jobs(testapp)`` runs the app's queued jobs in the test process, through huey's own
  dequeue/execute path; ``wait_for_job(testapp, job_id)`` waits for a job run elsewhere.
- After each test, ``app_factory`` recounts every statistics counter of every app it built
  (``imagemonkey stats verify``) and fails the test on any difference; ``counter_drifts(testapp)``
  runs that check in a test, ``recount_counters(testapp)`` repairs after rows seeded by hand, and
  ``@pytest.mark.counters_unchecked("why")`` leaves a test out.
"""
from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from webtest import TestApp

from .app import make_app
from .auth import hash_password
from .cli.stats import check_counters
from .db.engine import make_engine
from .db.migrate import upgrade
from .jobs.queue import job_queue
from .jobs.store import job_json
from .models import Contributor, Job
from .plugins import installed_plugins
from .scripting import app_request
from .testing_images import jpeg

#: What ``app_factory`` puts under every app's own settings (docs/plugins.md, *Testing a plugin*): donations are
#: public at once (moderation ``post``; pass ``"imagemonkey.moderation": "pre"`` to test pre-moderation), no rate
#: limit refuses a test's many requests, and a core write that would roll back silently fails the request instead.
TEST_SETTINGS = {
    "imagemonkey.moderation": "post",
    "imagemonkey.rate_limit.clients": "off",
    "imagemonkey.rate_limit.writes": "off",
    "imagemonkey.rate_limit.requests": "off",
    "imagemonkey.strict_writes": "true",  # a Core write that would silently roll back fails the request
}


def pytest_configure(config: pytest.Config) -> None:
    """Register this plugin's marker (for plugin authors' test suites too)."""
    config.addinivalue_line("markers", "counters_unchecked(why): do not recount the statistics counters after "
                                       "this test (it breaks them on purpose)")


def auth(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


def new_client(testapp: TestApp) -> str:
    """A fresh anonymous contributor's token, through the API."""
    return testapp.post("/api/v1/clients", status=201).json["token"]


def donate(testapp: TestApp, token: str | None, image: bytes | None = None, *, labels: tuple[str, ...] = (),
           status: int | str = 201, filename: str = "a.jpg", **fields: str) -> Any:
    """``POST /api/v1/images`` with ``image`` (by default a fresh picture: ``jpeg(seed)`` with a new seed each call)
    and ``labels``; returns the WebTest response, its status checked against ``status``."""
    data = image if image is not None else jpeg(seed=next(_DONATION_SEEDS))
    params = [("label", name) for name in labels] + list(fields.items())
    return testapp.post("/api/v1/images", params=params, upload_files=[("image", filename, data)],
                        headers=auth(token) if token else {}, status=status)


_DONATION_SEEDS = itertools.count(1_000_000)  # apart from the small seeds tests pass to jpeg() themselves


def settle_now(testapp: TestApp) -> None:
    """Finish the app's deferred work before reading its results: every background worker in
    ``registry["imagemonkey.background"]`` drains (e.g. validate settles the votes that just committed;
    core's job sender sends the messages of the jobs that requests queued)."""
    for worker in testapp.app.registry.get("imagemonkey.background", ()):
        worker.drain()


def new_account(testapp: TestApp, name: str, role: str = "moderator", password: str = "correct horse") -> str:
    """Create an account directly (as ``imagemonkey user add`` does) and log in through the API."""
    with app_request(testapp.app.registry) as request:
        request.dbsession.add(Contributor(kind="account", name=name, role=role,
                                          password_hash=hash_password(password)))
    return testapp.post_json("/api/v1/sessions", {"username": name, "password": password}, status=201).json["token"]


def new_moderator(testapp: TestApp, name: str = "mod") -> str:
    """A moderator's token."""
    return new_account(testapp, name, "moderator")


def run_jobs(testapp: TestApp, *, max_jobs: int = 1000) -> int:
    """Run every job queued for ``testapp`` (delayed ones once due) here, as a huey worker would; returns how many ran.

    Jobs that queue more jobs are run too, up to ``max_jobs`` (then a RuntimeError). The messages the
    app's sender thread still holds (jobs queued by requests that just answered) are sent first.
    """
    queue = job_queue(testapp.app.registry)
    huey = queue.huey
    ran = 0
    while True:
        if queue.sender is not None:
            queue.sender.drain()
        for task in huey.read_schedule():  # what huey's scheduler does for delayed tasks that are due
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return ran
        if ran >= max_jobs:
            raise RuntimeError(f"more than {max_jobs} jobs were queued; does a job queue itself?")
        ran += huey.ready_to_run(task)  # one not due yet goes (back) to huey's schedule
        huey.execute(task)


def wait_for_job(testapp: TestApp, job_id: str, timeout: float = 30.0,
                 states: tuple[str, ...] = ("done", "failed")) -> dict[str, Any]:
    """Poll job ``job_id``'s row until it is in one of ``states``; returns its JSON (TimeoutError after ``timeout``)."""
    factory = testapp.app.registry["dbsession_factory"]
    deadline = time.monotonic() + timeout
    while True:
        session = factory()
        try:
            job = session.get(Job, int(job_id))
            document = job_json(job) if job is not None else None
        finally:
            session.close()
        if document is not None and document["state"] in states:
            return document
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} is {document and document['state']!r} after {timeout} s")
        time.sleep(0.05)


class Databases:
    """Migrated databases for tests: SQLite copies of a template per plugin set, or one PostgreSQL database."""

    def __init__(self, root: Path, postgres_url: str | None):
        self.root = root
        self.postgres_url = postgres_url
        self.templates: dict[tuple[str, ...], Path] = {}
        self.postgres_ready = False
        self.postgres_migrated: set[str] = set()
        self.postgres_tables: list[str] = []

    def url_for(self, plugins: tuple[str, ...], folder: Path) -> str:
        """A migrated, empty database for an app with ``plugins``."""
        if self.postgres_url:
            return self._postgres()
        template = self.templates.get(plugins)
        if template is None:
            template = self.root / f"template-{len(self.templates)}.sqlite"
            engine = make_engine(f"sqlite:///{template}")
            upgrade(engine, list(plugins))
            engine.dispose()
            self.templates[plugins] = template
        target = folder / "imagemonkey.sqlite"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    def _postgres(self) -> str:
        engine = make_engine(self.postgres_url, pool_size=1, max_overflow=0)
        try:
            if not self.postgres_ready:
                with engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))
            installed = set(installed_plugins())  # a test may install a plugin (a distribution) mid-session
            if not self.postgres_ready or not installed <= self.postgres_migrated:
                upgrade(engine, sorted(installed - self.postgres_migrated))
                self.postgres_migrated |= installed
                ordered = inspect(engine).get_sorted_table_and_fkc_names()  # referenced tables first
                self.postgres_tables = [name for name, _ in reversed(ordered)
                                        if name and not name.startswith("alembic_version")]
                self.postgres_ready = True
            # DELETE (dependents first) and restarting the sequences is what TRUNCATE ... RESTART IDENTITY does,
            # at a few ms instead of ~0.6 s per app: TRUNCATE swaps every table's files
            with engine.begin() as connection:
                for table in self.postgres_tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))
                for sequence in connection.execute(text(
                        "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'"
                )).scalars().all():
                    connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        finally:
            engine.dispose()
        return self.postgres_url


def postgres_test_url(worker: str) -> str | None:
    """The PostgreSQL URL for this xdist worker (its own database), or None to use SQLite."""
    base = os.environ.get("IMAGEMONKEY_TEST_DB")
    if not base:
        return None
    if not base.startswith("postgresql"):
        raise pytest.UsageError("IMAGEMONKEY_TEST_DB must be a postgresql:// URL")
    base_name = base.rsplit("/", 1)[1].split("?", 1)[0] or "test"
    name = f"imagemonkey_{base_name}_{worker}"  # per base name, so separate test runs on one server stay apart
    admin = make_engine(base, pool_size=1, max_overflow=0)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Databases:
    """The session's database provider."""
    return Databases(tmp_path_factory.mktemp("db-templates"), postgres_test_url(worker_id))


def counter_drifts(testapp: TestApp) -> list[str]:
    """What ``imagemonkey stats verify`` would print for ``testapp``'s database (after its deferred work)."""
    settle_now(testapp)
    return [str(drift) for drift in check_counters(testapp.app.registry)]


def recount_counters(testapp: TestApp) -> None:
    """Write every statistics counter from its tables (``imagemonkey stats verify --repair``), after a test
    seeded rows straight into the database, as an operator does after a bulk import."""
    check_counters(testapp.app.registry, repair=True)


@pytest.fixture
def app_factory(request: pytest.FixtureRequest, tmp_path: Path,
                test_databases: Databases) -> Iterator[Callable[..., TestApp]]:
    """Build apps: ``app_factory(plugins=("validate",), **{"imagemonkey.moderation": "pre"})``.

    After the test, every statistics counter of every app built is recounted from its tables (as
    ``imagemonkey stats verify`` does) and any difference fails the test, so a write path that forgets a
    counter cannot pass. A test that breaks counters on purpose says so with
    ``@pytest.mark.counters_unchecked("why")``.
    """
    built: list[TestApp] = []
    attempts = itertools.count()  # not len(built): a factory call that fails must not reuse its folder

    def factory(plugins: tuple[str, ...] | list[str] = (), **settings: Any) -> TestApp:
        folder = tmp_path / f"app{next(attempts)}"
        folder.mkdir()
        merged = {**TEST_SETTINGS, "imagemonkey.data_dir": str(folder), "imagemonkey.plugins": " ".join(plugins)}
        merged.update(settings)
        if "sqlalchemy.url" not in merged:  # an app on an existing database must not truncate it
            merged["sqlalchemy.url"] = test_databases.url_for(tuple(plugins), folder)
        testapp = TestApp(make_app(merged), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        built.append(testapp)
        return testapp

    yield factory
    check = request.node.get_closest_marker("counters_unchecked") is None
    drifts = []
    try:
        for testapp in built if check else ():
            drifts.extend(counter_drifts(testapp))
    finally:
        for testapp in built:
            for worker in testapp.app.registry.get("imagemonkey.background", ()):
                worker.stop()
            testapp.app.registry["db_engine"].dispose()
            job_queue(testapp.app.registry).huey.storage.close()
    if drifts:
        pytest.fail("statistics counters differ from their tables after the test:\n" + "\n".join(drifts))


@pytest.fixture
def app(app_factory: Callable[..., TestApp]) -> TestApp:
    """A core-only app (no plugins) with post-moderation and no rate limits."""
    return app_factory()


@pytest.fixture
def token(app: TestApp) -> str:
    """An anonymous contributor's token for ``app``."""
    return new_client(app)


@pytest.fixture
def moderator(app: TestApp) -> str:
    """A moderator's token for ``app``."""
    return new_moderator(app)


@pytest.fixture
def dbsession(app: TestApp) -> Iterator[Any]:
    """A plain SQLAlchemy session on ``app``'s database (commit yourself)."""
    session = app.app.registry["dbsession_factory"]()
    yield session
    session.close()
