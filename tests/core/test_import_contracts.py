"""The import-linter contracts: plugins import only ``imagemonkey.plugin`` from core, and never each other.

``make lint`` runs the contracts of pyproject.toml on the repository; here they run once more on
the repository, then on deliberate violations written into a temporary folder (they must fail).
"""
from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import imagemonkey

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(cwd: Path, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_repository_keeps_its_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_every_core_module_but_the_stable_api_is_forbidden_to_plugins() -> None:
    core_modules = {f"imagemonkey.{module.name}" for module in pkgutil.iter_modules(imagemonkey.__path__)}
    forbidden = set(CONTRACTS["plugins-use-the-stable-api"]["forbidden_modules"])
    assert forbidden == core_modules - {"imagemonkey.plugin"}


def test_every_plugin_in_the_tree_is_held_to_the_contracts() -> None:
    packages = {f"imagemonkey_{path.parent.name}" for path in (ROOT / "plugins").glob("*/__init__.py")}
    assert packages <= set(CONFIG["root_packages"])
    assert packages <= set(CONTRACTS["plugins-use-the-stable-api"]["source_modules"])
    assert packages <= set(CONTRACTS["plugins-are-independent"]["modules"])


def write_package(root: Path, name: str, modules: dict[str, str]) -> None:
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(textwrap.dedent(source))


def config_for(plugins: list[str]) -> str:
    """The project's two contracts (an ``.importlinter`` file), applied to ``plugins`` instead of the built-in ones."""
    def listing(names: list[str]) -> str:
        return "".join(f"\n    {name}" for name in names)

    forbidden = CONTRACTS["plugins-use-the-stable-api"]["forbidden_modules"]
    return (f"[importlinter]\nroot_packages ={listing(['imagemonkey', *plugins])}\n\n"
            f"[importlinter:contract:stable-api]\nname = Plugins import only imagemonkey.plugin from core\n"
            f"type = forbidden\nsource_modules ={listing(plugins)}\nforbidden_modules ={listing(forbidden)}\n"
            f"allow_indirect_imports = true\n\n"
            f"[importlinter:contract:independent]\nname = Plugins never import each other's modules\n"
            f"type = independence\nmodules ={listing(plugins)}\n")


def test_a_plugin_importing_core_internals_breaks_the_contract(tmp_path: Path) -> None:
    write_package(tmp_path, "acme_stickers", {
        "good": "from imagemonkey.plugin import Image, hookimpl\n",
        "bad": "from imagemonkey.models import Image\n",
    })
    write_package(tmp_path, "acme_badges", {"hooks": "from imagemonkey.plugin import hookimpl\n"})
    (tmp_path / ".importlinter").write_text(config_for(["acme_stickers", "acme_badges"]))
    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Plugins import only imagemonkey.plugin from core BROKEN" in result.stdout
    assert "acme_stickers.bad -> imagemonkey.models" in result.stdout
    assert "Plugins never import each other's modules KEPT" in result.stdout


def test_a_plugin_importing_another_plugin_breaks_the_contract(tmp_path: Path) -> None:
    write_package(tmp_path, "acme_stickers", {"states": "def states():\n    return {}\n"})
    write_package(tmp_path, "acme_badges", {"bridge": "from acme_stickers.states import states\n"})
    (tmp_path / ".importlinter").write_text(config_for(["acme_stickers", "acme_badges"]))
    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Plugins never import each other's modules BROKEN" in result.stdout
    assert "acme_badges.bridge -> acme_stickers.states" in result.stdout
