"""``imagemonkey plugin new`` and ``imagemonkey db revision --plugin``, as a plugin author runs them.

The console script writes the plugin; pip installs it editable (``pip install -e``, without build isolation)
into a folder of this test's own (``--target``), not into the shared venv where the other xdist worker would
see it appear. Subprocesses see that folder the way a venv sees its site-packages: ``site.addsitedir`` runs
its ``.pth`` (the editable finder). The generated tests run on PostgreSQL when this suite does under xdist (the
subprocess, not a worker, makes its own ``..._master`` database), else on SQLite: a run without xdist uses
``..._master`` itself.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from imagemonkey.cli import main
from imagemonkey.db.engine import make_engine

BIN = Path(sys.executable).parent
SITE = "site"


def environment(postgres: bool = False) -> dict[str, str]:
    """The environment of a plugin author's shell: no pytest internals; ``IMAGEMONKEY_TEST_DB`` only if
    ``postgres``."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith("PYTEST_") and (postgres or key != "IMAGEMONKEY_TEST_DB")}


def run_with_plugin(root: Path, code: str, *args: str, cwd: Path | None = None,
                    postgres: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -c code args`` with the plugin installed in ``root / SITE`` on the path, as in a venv."""
    bootstrap = f"import site, sys; site.addsitedir({str(root / SITE)!r}); {code}"
    return subprocess.run([sys.executable, "-c", bootstrap, *args], cwd=cwd or root, capture_output=True, text=True,
                          timeout=300, env=environment(postgres))


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``imagemonkey ARGS`` seeing the plugin installed under ``root``."""
    return run_with_plugin(root, "from imagemonkey.cli import main; sys.exit(main())", *args)


def new_and_installed(root: Path, name: str) -> Path:
    """``imagemonkey plugin new NAME`` into ``root / NAME``, installed editable; returns the distribution folder."""
    made = subprocess.run([str(BIN / "imagemonkey"), "plugin", "new", name, "--directory", str(root / name)],
                          capture_output=True, text=True, timeout=120, env=environment())
    assert made.returncode == 0, made.stderr
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "install", "--no-deps",
                    "--no-build-isolation", "--target", str(root / SITE), "-e", str(root / name)],
                   check=True, capture_output=True, text=True, timeout=300)
    return root / name


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Plugin ``notes``, generated and installed once for the module."""
    yield new_and_installed(tmp_path_factory.mktemp("plugin-new"), "notes")


def test_its_generated_tests_pass_as_generated(notes: Path, worker_id: str) -> None:
    result = run_with_plugin(notes.parent, "import pytest; sys.exit(pytest.main(sys.argv[1:]))",
                             "-q", "-p", "no:cacheprovider", "-n", "0", cwd=notes, postgres=worker_id != "master")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b13 passed\b", result.stdout), result.stdout  # every generated test ran


def test_it_has_every_part_and_imports_only_the_stable_api(notes: Path) -> None:
    package = notes / "imagemonkey_notes"
    revisions = list((package / "migrations" / "versions").glob("*_notes_tables.py"))
    assert len(revisions) == 1 and re.fullmatch(r"[0-9a-f]{12}_notes_tables\.py", revisions[0].name)
    assert '[project.entry-points."imagemonkey.plugins"]\nnotes = "imagemonkey_notes"' in (
        notes / "pyproject.toml").read_text()
    assert "imagemonkey db revision --plugin notes" in (notes / "README.md").read_text()
    source = "".join(path.read_text() for path in package.rglob("*.py"))
    imports = {line.split()[1] for line in source.splitlines() if line.startswith(("from imagemonkey", "import imag"))}
    assert imports == {"imagemonkey.plugin"}
    listed = cli(notes.parent, "plugins", "--data-dir", str(notes.parent / "data"), "--plugins", "notes")
    assert re.search(r"^notes\s+0\.1\.0\s+enabled\s+imagemonkey_notes$", listed.stdout, re.M), listed.stderr
    lint = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", str(notes)],  # its own pyproject.toml's rules
                          capture_output=True, text=True, timeout=120)
    assert lint.returncode == 0, lint.stdout


def test_db_revision_grows_the_plugins_own_lineage(tmp_path: Path) -> None:
    plugin = new_and_installed(tmp_path, "moods")
    versions = plugin / "imagemonkey_moods" / "migrations" / "versions"
    first = next(versions.glob("*_moods_tables.py")).name[:12]
    data = ["--data-dir", str(tmp_path / "data")]
    behind = cli(tmp_path, "db", "revision", "--plugin", "moods", "-m", "add mood", "--autogenerate", *data)
    assert behind.returncode == 2 and "cannot open the database" in behind.stderr  # nothing migrated yet
    assert cli(tmp_path, "db", "upgrade", "--plugins", "moods", *data).returncode == 0
    models = plugin / "imagemonkey_moods" / "models.py"
    text_column = "    text: Mapped[str] = mapped_column(String(NOTE_MAX))\n"
    mood_column = "    mood: Mapped[str | None] = mapped_column(String(20))\n"
    models.write_text(models.read_text().replace(text_column, text_column + mood_column))
    made = cli(tmp_path, "db", "revision", "--plugin", "moods", "-m", "add mood", "--autogenerate", *data)
    assert made.returncode == 0, made.stderr
    written = Path(made.stdout.strip().splitlines()[-1])
    assert written.parent == versions and re.fullmatch(r"[0-9a-f]{12}_add_mood\.py", written.name)
    text = written.read_text()
    assert f"down_revision = {first!r}" in text and "add_column(sa.Column('mood'" in text
    assert "core" not in re.findall(r"create_table\('(\w+)'", text)  # only the plugin's own tables are compared
    stale = cli(tmp_path, "db", "revision", "--plugin", "moods", "-m", "again", "--autogenerate", *data)
    assert stale.returncode == 2 and "run `imagemonkey db upgrade`" in stale.stderr
    assert cli(tmp_path, "db", "upgrade", "--plugins", "moods", *data).returncode == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'imagemonkey.sqlite'}")
    try:
        assert "mood" in {column["name"] for column in inspect(engine).get_columns("moods_note")}
    finally:
        engine.dispose()
    empty = cli(tmp_path, "db", "revision", "--plugin", "moods", "-m", "by hand", *data)  # no database needed
    assert empty.returncode == 0 and f"down_revision = {written.name[:12]!r}" in Path(
        empty.stdout.strip().splitlines()[-1]).read_text()


def test_the_longest_name_still_makes_lint_clean_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    longest = "a" * 20  # fk_<name>_note_contributor_id_contributor then fits PostgreSQL's 63 characters
    assert main(["plugin", "new", longest, "--directory", str(tmp_path / longest)]) == 0
    assert f"wrote 13 files of plugin {longest!r}" in capsys.readouterr().out
    lint = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", str(tmp_path / longest)], capture_output=True,
                          text=True, timeout=120)
    assert lint.returncode == 0, lint.stdout


@pytest.mark.parametrize(("name", "message"), [
    ("Notes", "must be 1 to 20 lower-case letters"),
    ("1notes", "must be 1 to 20 lower-case letters"),
    ("no-tes", "must be 1 to 20 lower-case letters"),
    ("n" * 21, "must be 1 to 20 lower-case letters"),
    ("validate", "already installed"),
    ("core", "already installed"),
])
def test_a_bad_plugin_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                                      message: str) -> None:
    assert main(["plugin", "new", name, "--directory", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_folder_with_files_is_not_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    assert main(["plugin", "new", "fresh", "--directory", str(tmp_path / "out")]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["mine.txt"]


def test_db_revision_of_an_unknown_plugin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "revision", "--plugin", "nosuch", "-m", "x", "--data-dir", str(tmp_path)]) == 2
    assert "plugin 'nosuch' is not installed" in capsys.readouterr().err
