# The README's two commands: `make demo` and `make test`. Both install what they need, Debian packages included.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
POSTGRES_URL ?= $(or $(VANPHONG_TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/vanphong)
DEBIAN_BASE := python3-venv python3-pip gettext fonts-dejavu-core fonts-noto-core poppler-utils libreoffice-writer-nogui fonts-liberation2 clamav-daemon clamav tesseract-ocr tesseract-ocr-vie ghostscript unpaper
DEBIAN_TEST := chromium softhsm2 opensc redis-server

.PHONY: demo test lint format messages bench clean system-packages test-system-packages

demo: $(VENV)/.installed messages
	$(PY) scripts/clamd start && DJANGO_SETTINGS_MODULE=vanphong.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=vanphong.settings.dev $(PY) manage.py pki init-test --if-missing --services-url http://127.0.0.1:8001
	@# The test PKI's OCSP responder and TSA run beside the server (ports 8001, 8002) and stop with it.
	DJANGO_SETTINGS_MODULE=vanphong.settings.dev sh -c '$(PY) manage.py pki serve & pki=$$!; trap "kill $$pki" EXIT INT TERM; \
	  $(PY) manage.py load_demo && echo "Serving on http://127.0.0.1:8000 (Ctrl+C stops)" && \
	  $(PY) manage.py runserver 127.0.0.1:8000'

test: $(VENV)/.installed messages test-system-packages lint
	@$(PY) scripts/clamd start && echo "== Test suite on SQLite =="
	VANPHONG_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest
	@echo "== Test suite on PostgreSQL ($(POSTGRES_URL)) =="
	$(PY) scripts/check-postgres $(POSTGRES_URL)
	VANPHONG_DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest
	$(PY) scripts/check-postgres $(POSTGRES_URL) --dropped

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Translations: the .po files are the source; .mo files are compiled here and never committed.
messages: $(VENV)/.installed
	cd vanphong && ../$(PY) ../manage.py compilemessages -v0

makemessages: $(VENV)/.installed
	cd vanphong && ../$(PY) ../manage.py makemessages -l vi -l en --no-obsolete --add-location file -v0

bench: $(VENV)/.installed
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) $$script || exit 1; done

system-packages:
	sh scripts/install-debian-packages $(DEBIAN_BASE)

test-system-packages:
	sh scripts/install-debian-packages $(DEBIAN_TEST)

$(VENV)/.installed: pyproject.toml | system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) var build *.egg-info
