.PHONY: demo serve test lint bench

demo:  ## set up on SQLite, load demo data and start the server
	scripts/run-demo.sh

serve:  ## run under gunicorn (several workers) on the embedded defaults, after applying migrations
	scripts/serve.sh

test:  ## install what the tests need and run the whole suite
	scripts/test.sh

lint:
	.venv/bin/ruff check sar redaction tests && .venv/bin/ruff format --check sar redaction tests && .venv/bin/mypy && .venv/bin/lint-imports
