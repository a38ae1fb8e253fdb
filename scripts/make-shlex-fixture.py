#!/usr/bin/env python3
"""Regenerates Tests/RunbookCoreTests/Fixtures/shlex-cases.json, the tokenizer's reference table.

Run once by hand (.venv/bin/python3 scripts/make-shlex-fixture.py) and commit the JSON; tests never run Python.

Each case records the reference words:
- "shlex": shlex.split(line, comments=True, posix=True) -- plain word splitting;
- "shlex-punct": shlex.shlex(line, posix=True, punctuation_chars=True) with whitespace_split,
  so && || ; | < > come out as their own tokens;
- "bash": where shlex and bash disagree (backslash-newline, \\$ inside double quotes, # inside a
  word), the words bash itself produces (`set -- LINE; printf '%s\\0' "$@"`), checked here.
"""
import json
import os
import shlex
import subprocess
import sys

# Runs under the checkout's .venv (scripts/setup makes it), never the system Python: started by any
# other Python, it starts itself again there. Without a .venv, an active venv will do (the tests run
# a copy of scripts/dev-env's files outside the checkout, under scripts/test's venv).
_venv = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".venv")
if os.path.realpath(sys.prefix) != os.path.realpath(_venv):
    _python = os.path.join(_venv, "bin", "python3")
    if os.access(_python, os.X_OK) and sys.executable != _python:
        os.execv(_python, [_python, os.path.abspath(__file__)] + sys.argv[1:])
    if sys.prefix == sys.base_prefix:
        sys.exit(f"{os.path.basename(__file__)}: needs the checkout's .venv ({_venv}): run scripts/setup")

PLAIN = [
    "aws ecs describe-services --cluster mindhit-cluster --services mindhit-api",
    "echo 'single quoted  spaces'",
    'echo "double quoted  spaces"',
    "echo it\\'s",
    "echo 'it'\\''s'",
    'echo "a\\"b" \'c\\d\'',
    'echo "x\\\\y"',
    "echo a\\ b c",
    "echo ''",
    'echo ""',
    "echo a''b",
    'echo "a"\'b\'c',
    "curl -fsS --max-time 5 https://api.example.test/health  # probe",
    "# only a comment",
    "aws logs tail /ecs/mindhit-api --since 15m --filter-pattern 'ERROR'",
    "aws logs tail /ecs/mindhit-api --filter-pattern '\"status\": 500'",
    "curl -s 'http://prom:9090/api/v1/query?query=sum(rate(http_requests_total{status=~\"5..\"}[5m]))'",
    "redis-cli -h 127.0.0.1 -p 6379 INFO memory",
    "echo ${CLUSTER} <task-id>",
    'echo "${CLUSTER}" "--cluster=${CLUSTER}"',
    "echo --query='services[0].deployments'",
    "printf '%s\\n' one\ttwo",
    "echo   leading   and   trailing   ",
    "echo multi\nline command",
    "echo 'quoted\nnewline'",
    'echo "tab\tinside"',
    "echo \\#not-a-comment",
    "echo '#' \"#\"",
    "psql \"$DATABASE_URL\" -c 'SELECT 1'",
    "echo 한국어 '배포 상태'",
]

PUNCT = [
    "aws ecs update-service --cluster c --service s --force-new-deployment && aws ecs wait services-stable --cluster c --services s",
    "curl -fsS http://h/health || ./scripts/rollback.sh",
    "echo a; echo b",
    "aws ecs list-tasks --cluster c | jq .taskArns",
    "pg_dump mindhit > backup.sql",
    "pg_dump mindhit >> backup.sql",
    "psql mindhit < restore.sql",
    "echo 'a && b' \"c || d\" e\\;f",
    "sleep 1 & wait",
]

BASH = [
    "aws ecs describe-services \\\n  --cluster mindhit-cluster \\\n  --services mindhit-api",
    'echo "line \\\ncontinued"',
    "echo 'kept \\\nbackslash'",
    'echo "\\$HOME" "\\`x\\`"',
    "echo foo#bar",
    "echo a\\\nb",
    'echo "keep \\n as is"',
]


def bash_words(line):
    script = "set -- " + line + "\nprintf '%s\\0' \"$@\""
    out = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], capture_output=True, check=True).stdout
    return out.decode().split("\0")[:-1]


def punct_words(line):
    lex = shlex.shlex(line, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    return list(lex)


cases = []
for line in PLAIN:
    cases.append({"line": line, "reference": "shlex", "words": shlex.split(line, comments=True, posix=True)})
for line in PUNCT:
    cases.append({"line": line, "reference": "shlex-punct", "words": punct_words(line)})
for line in BASH:
    words = bash_words(line)
    # `set --` does the same word splitting but no extra step; the command word comes first.
    cases.append({"line": line, "reference": "bash", "words": words})
    assert words != shlex.split(line, comments=True, posix=True) or "foo#bar" not in line

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "Tests", "RunbookCoreTests", "Fixtures", "shlex-cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
