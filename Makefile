# Sekimori — set-up, run, test, benchmark. Everything installs into .venv from the
# package registries; nothing is downloaded at run time.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
CONFIG ?= config/default.yaml
HOST   ?= 127.0.0.1
PORT   ?= 8080
ADMIN_PORT ?= 8081
MOCK_PORT ?= 9090

.PHONY: install run try test test-clients demo bench bench-quality soak lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]' --config-settings editable_mode=compat
	$(PY) -c "import spacy; spacy.load('ja_ginza')" >/dev/null
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/sekimori serve --config $(CONFIG) --host $(HOST) --port $(PORT) --admin-port $(ADMIN_PORT)

# The proxy against the mock upstream (sekimori mock-upstream on MOCK_PORT), no API key needed.
try: $(STAMP)
	$(PY) -m proxy.tools.trial --config $(CONFIG) --host $(HOST) --port $(PORT) --admin-port $(ADMIN_PORT) --mock-port $(MOCK_PORT)

test: $(STAMP)
	bash scripts/install_browser.sh
	bash scripts/install_attachment_fonts.sh
	bash scripts/install_ocr.sh
	bash scripts/install_prometheus.sh
	bash scripts/install_clients.sh
	$(VENV)/bin/pytest -q

# Only the real coding clients (Claude Code, Codex CLI) through the proxy.
test-clients: $(STAMP)
	bash scripts/install_clients.sh
	$(VENV)/bin/pytest -q tests/clients

demo: $(STAMP)
	$(PY) -m proxy.tools.demo

bench: $(STAMP)
	$(PY) -m bench.quality --stock --thorough --md bench/results/quality.md --json bench/results/quality.json
	$(PY) -m bench.speed
	$(PY) -m bench.speed_pools
	$(PY) -m bench.speed --proxy-pool unseen --big-pool wiki
	$(PY) -m bench.attachments > bench/results/attachments.md

bench-quality: $(STAMP)
	$(PY) -m bench.quality --stock --thorough --md bench/results/quality.md --json bench/results/quality.json

soak: $(STAMP)
	$(PY) -m scripts.soak --requests 10000 --concurrency 20

LINT_DIRS := detectors proxy bench scripts
lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/ruff format --check $(LINT_DIRS)
	$(VENV)/bin/mypy detectors proxy scripts bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
