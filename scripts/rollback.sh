#!/usr/bin/env bash
# Rolls the API service back to its previous ACTIVE task definition, waits until stable and
# verifies (the seed's script, now `runbook ecs rollback`). Arguments pass through, e.g.
#   scripts/rollback.sh --env production --to 41 --yes
# Default environment: staging (RUNBOOK_ENV overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${RUNBOOK_BIN:-$(command -v runbook || echo .build/release/runbook)}"
exec "$bin" ecs rollback --env "${RUNBOOK_ENV:-staging}" "$@"
