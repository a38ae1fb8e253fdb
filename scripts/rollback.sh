#!/usr/bin/env bash
# Rolls the API service back to the task definition it ran before the last change.
#
# Kept so that `./scripts/rollback.sh` from docs/operations/runbook.md#rollback works when pasted
# into a terminal: it is the same checked rollback `runbook exec runbook#rollback` runs (the task
# definition recorded before the last change, else the newest ACTIVE older revision of the service's
# own family; never a blind "revision - 1"), with the same confirmation and audit record.
#
#   ./scripts/rollback.sh                  production (asks you to type the service name)
#   RUNBOOK_ENV=staging ./scripts/rollback.sh --yes
#   ./scripts/rollback.sh --to 41           (arguments pass through to `runbook ecs rollback`)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${RUNBOOK_BIN:-}" ]]; then
  runbook="$RUNBOOK_BIN"
elif command -v runbook > /dev/null; then
  runbook=runbook
elif [[ -x "$root/.build-static/release/runbook" ]]; then
  runbook="$root/.build-static/release/runbook"   # what scripts/build-site builds
elif [[ -x "$root/.build/release/runbook" ]]; then
  runbook="$root/.build/release/runbook"
else
  echo "rollback.sh: runbook 실행 파일이 없습니다: 저장소에서 'scripts/build-site'를 실행한 뒤 다시 시도하세요" >&2
  exit 127
fi
cd "$root"
exec "$runbook" ecs rollback --env "${RUNBOOK_ENV:-production}" "$@"
