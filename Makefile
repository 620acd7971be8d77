# Two commands for a fresh machine with Python 3.11:
#   make run    set everything up and start the app
#   make test   set everything up and run all tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench browser-deps clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py

# The browser test drives Debian's chromium; install it when we are allowed to (root).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: browser tests will be skipped"; }

test: $(VENV)/.installed browser-deps
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache
