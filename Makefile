# Two commands for a fresh machine with Python 3.11:
#   make run    set everything up and start the app
#   make test   set everything up and run all tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench test-deps clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py

# The browser tests drive Debian's chromium, the scale-out test a real redis-server;
# install them when we are allowed to (root). Without them those tests are skipped.
TEST_TOOLS := chromium redis-server
test-deps:
	@missing=""; for tool in $(TEST_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	[ -z "$$missing" ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null) \
		|| echo "not installed:$$missing (their tests will be skipped)"; }

test: $(VENV)/.installed test-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache
