#!/usr/bin/env python3
"""Stand-ins for the API's health endpoint and for Prometheus, on loopback, for scripts/dev-env.

    dev-fake-http.py health --port N --moto URL --cluster C --service S --bad-file FILE
    dev-fake-http.py prometheus --port N

health: GET /health answers 200 {"status":"ok"} while the ECS service (asked from moto on every
request) runs a task definition that FILE does not list, and 503 while it runs one FILE lists
(`scripts/dev-env break` deploys such a "bad" revision). So a redeploy of the bad revision keeps
failing and a rollback heals it, as in production.

prometheus: GET /api/v1/query answers an instant vector for the query's metric name, with
values that look like the AI pipeline's (mindhit_ai_processing_duration_seconds and friends).

Python standard library only. Logs one line per request to stderr.
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

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


def service_task_definition(args):
    """The task definition the service runs, as moto reports it (an ARN or family:revision)."""
    body = json.dumps({"cluster": args.cluster, "services": [args.service]}).encode()
    # moto does not check signatures, but reads the region from the credential scope.
    auth = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/%s/ecs/aws4_request, "
            "SignedHeaders=host, Signature=0" % args.region)
    request = urllib.request.Request(args.moto.rstrip("/") + "/", data=body, method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AmazonEC2ContainerServiceV20141113.DescribeServices",
        "Authorization": auth,
    })
    with urllib.request.urlopen(request, timeout=5) as reply:
        services = json.load(reply).get("services", [])
    return services[0].get("taskDefinition", "") if services else ""


def family_revision(task_definition):
    """`arn:aws:ecs:...:task-definition/mindhit-api:3` or `mindhit-api:3` -> `mindhit-api:3`."""
    return task_definition.rsplit("/", 1)[-1]


def bad_revisions(path):
    try:
        with open(path, encoding="utf-8") as f:
            return {line.strip() for line in f if line.strip()}
    except FileNotFoundError:
        return set()


class Handler(BaseHTTPRequestHandler):
    server_version = "dev-fake-http/1"
    args = None

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *values):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % values))

    def do_GET(self):
        url = urlparse(self.path)
        if self.args.mode == "health":
            self.health(url)
        else:
            self.prometheus(url)

    def health(self, url):
        if url.path not in ("/health", "/"):
            return self.reply(404, {"error": "not found: " + url.path})
        try:
            running = family_revision(service_task_definition(self.args))
        except Exception as error:  # moto down: the API cannot be healthy either
            return self.reply(503, {"status": "error", "reason": "ECS unreachable: %s" % error})
        if running in bad_revisions(self.args.bad_file):
            return self.reply(503, {"status": "error", "task_definition": running,
                                    "reason": "database migration 42 failed on start-up"})
        return self.reply(200, {"status": "ok", "task_definition": running})

    def prometheus(self, url):
        if url.path != "/api/v1/query":
            return self.reply(404, {"status": "error", "errorType": "not_found", "error": url.path})
        query = parse_qs(url.query).get("query", [""])[0]
        match = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", query)
        if not match:
            return self.reply(400, {"status": "error", "errorType": "bad_data",
                                    "error": "parse error: no metric name in %r" % query})
        name = match.group(0)
        now = time.time()
        values = {"mindhit_ai_processing_duration_seconds": [("summarize", "4.2"), ("mindmap", "11.8")],
                  "mindhit_ai_errors_total": [("summarize", "3"), ("mindmap", "17")]}
        rows = values.get(name, [("api", "1")])
        result = [{"metric": {"__name__": name, "job": "mindhit-api", "stage": stage}, "value": [now, value]}
                  for stage, value in rows]
        return self.reply(200, {"status": "success", "data": {"resultType": "vector", "result": result}})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["health", "prometheus"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--moto", default="")
    parser.add_argument("--region", default="ap-northeast-2")
    parser.add_argument("--cluster", default="mindhit-cluster")
    parser.add_argument("--service", default="mindhit-api")
    parser.add_argument("--bad-file", default="")
    Handler.args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", Handler.args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
