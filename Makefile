# The two commands for a fresh machine: `make db`, then `make test`.
# Point any target at a server with DATABASE_URL=postgresql://... (see README.md).

# the workspace package pg-tap-runner (runner/), through its bin
RUNNER := node_modules/.bin/pg-tap-runner
PORT ?= 54322
# make bench SCALE=full: the platform's full scale (10,000 users, 5,000 automations, 1,000,000 usage rows)
SCALE ?= small
# make bench SERVER_URL=postgresql://...: that server measured beside the embedded target, in one run and results file
SERVER_URL ?=
# make bench CURVE=5000,20000,50000: the scale curve at these catalogue sizes (CURVE_EMBEDDED_MAX: the embedded target's largest)
CURVE ?=
CURVE_EMBEDDED_MAX ?= 20000

.PHONY: install db serve test status migrate seed check test-runner typecheck lint format docs watch new-migration interop bench mutate server server-stop

# npm ci whenever node_modules is missing or older than the lock file
node_modules/.installed: package-lock.json
	npm ci
	@touch $@

# the runner compiled to runner/dist (npm ci builds it too) whenever a source changed;
# the bin runs the TypeScript sources through tsx while dist is stale
runner/dist/.source-hash: node_modules/.installed runner/build.js $(shell find runner/src -name '*.ts')
	@npm run --silent -w pg-tap-runner build

install: runner/dist/.source-hash

## db: build the local database (.data/pglite): bootstrap, migrations, seed; print a summary
db: runner/dist/.source-hash
	$(RUNNER) db reset --summary

## serve: the local database on postgresql://postgres:postgres@127.0.0.1:$(PORT)/postgres
## (with a test worker's stack, 4 MB: V8's 1 MB on the main thread ran PostgreSQL out of stack on deep JSON)
serve: runner/dist/.source-hash
	node --stack-size=3800 runner/bin/pg-tap-runner.js db serve --port $(PORT)

## test: every pgTAP file under supabase/tests on the cached snapshot; options in ARGS, e.g. make test ARGS="--jobs 2"
test: runner/dist/.source-hash
	$(RUNNER) test $(ARGS)

## mutate: weaken the schema one rule at a time and run the suite against each; fails on a survivor not in supabase/equivalent-mutants.txt
mutate: node_modules/.installed
	$(RUNNER) mutate $(ARGS)

## bench: scale data, then vector search, RLS cost, plans, match_automations per call at the seed's scale, the scale curve (CURVE=...) and the suite's own times, embedded and on SERVER_URL side by side; bench/results/<date>.json and .md
# The suite section runs the test files in one session on an in-process PGlite, whose deepest
# statements (294_trusted_values.sql's 12,000-level JSON) need more stack than the main thread's
# default (about 1 MB; the runner's worker threads have 4 MB): without it the run never ends.
bench: node_modules/.installed
	node --stack-size=3900 --import tsx bench/cli.ts --scale $(SCALE) $(if $(SERVER_URL),--server-url '$(SERVER_URL)') $(if $(CURVE),--curve $(CURVE)) --curve-embedded-max $(CURVE_EMBEDDED_MAX) $(ARGS)

status: runner/dist/.source-hash
	$(RUNNER) db status

migrate: runner/dist/.source-hash
	$(RUNNER) db migrate

seed: runner/dist/.source-hash
	$(RUNNER) db seed

## the runner's own tests and type check
test-runner: node_modules/.installed
	npm run --silent test:runner

typecheck: node_modules/.installed
	npm run --silent typecheck

## lint: Biome's linter, and its formatter's check, on every TypeScript and JavaScript file (biome.json)
lint: node_modules/.installed
	npm run --silent lint
	npm run --silent format:check

## format: reformat them in place (Biome)
format: node_modules/.installed
	npm run --silent format

check: typecheck lint test-runner test

## docs: regenerate docs/schema.md, docs/rls-matrix.md (from supabase/tests/270_rls_matrix.sql) and types/database.ts;
## make docs ARGS=--check writes nothing and fails when one is stale (CI)
DOCS := --schema-doc docs/schema.md --rls-matrix docs/rls-matrix.md --types types/database.ts --regenerate-command 'make docs'
docs: runner/dist/.source-hash
	$(RUNNER) docs $(DOCS) $(ARGS)

## watch: on every save under supabase/, rebuild and rerun the affected tests
watch: runner/dist/.source-hash
	$(RUNNER) watch

## new-migration name=add_something: supabase/migrations/<UTC timestamp>_add_something.sql
new-migration: runner/dist/.source-hash
	@test -n "$$name" || { echo 'usage: make new-migration name=add_something' >&2; exit 2; }
	$(RUNNER) new-migration "$$name"

## interop: the Supabase CLI, pg_prove and the server target against a served database
interop: node_modules/.installed
	node_modules/.bin/tsx .ci/interop.ts

## server: a Supabase-like PostgreSQL 15 on 127.0.0.1:54329 (server/README.md): built once, started, a fresh database; prints DATABASE_URL=...
server:
	@bash server/server.sh start

## server-stop: stop it (the build stays under .data/server)
server-stop:
	@bash server/server.sh stop
