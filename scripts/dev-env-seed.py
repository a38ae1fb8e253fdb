#!/usr/bin/env python3
"""Seeds a fresh moto server with MindHit's production shapes, for scripts/dev-env.

    dev-env-seed.py ENDPOINT              everything: ECS, CloudWatch Logs, RDS, S3
    dev-env-seed.py ENDPOINT --break      deploy a "bad" revision; print it (family:revision)

ECS: cluster mindhit-cluster, task definitions mindhit-api:1 and :2, service mindhit-api on :2
with 2 tasks (moto never starts a service's tasks, so they are started with RunTask in the
service's group). Logs: /ecs/mindhit-api with the last 15 minutes of API output. RDS:
mindhit-postgres (PostgreSQL 16, 7-day backups). S3: mindhit-backups.
Fake keys only: moto does not check signatures.
"""

import os
import sys
import time

import json
import urllib.request

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

import boto3  # noqa: E402 (from the venv)

REGION = "ap-northeast-2"
CLUSTER, SERVICE, FAMILY = "mindhit-cluster", "mindhit-api", "mindhit-api"


def client(endpoint, name):
    return boto3.client(name, endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="dev-env-fake-secret")


def register(ecs, image):
    td = ecs.register_task_definition(
        family=FAMILY,
        containerDefinitions=[{"name": "api", "image": image, "essential": True, "memory": 1024,
                               "portMappings": [{"containerPort": 8080}],
                               "logConfiguration": {"logDriver": "awslogs", "options": {
                                   "awslogs-group": "/ecs/mindhit-api", "awslogs-region": REGION,
                                   "awslogs-stream-prefix": "api"}}}])
    return "%s:%d" % (FAMILY, td["taskDefinition"]["revision"])


def pin_tasks_running(endpoint):
    """moto moves a task one state towards STOPPED on every DescribeTasks unless told otherwise."""
    body = json.dumps({"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1_000_000_000}})
    request = urllib.request.Request(endpoint + "/moto-api/state-manager/set-transition", data=body.encode(), method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def seed(endpoint):
    pin_tasks_running(endpoint)
    ecs = client(endpoint, "ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    register(ecs, "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/mindhit-api:v1.4.1")
    current = register(ecs, "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/mindhit-api:v1.4.2")
    ecs.create_service(cluster=CLUSTER, serviceName=SERVICE, taskDefinition=current, desiredCount=2,
                       launchType="FARGATE")
    ecs.run_task(cluster=CLUSTER, taskDefinition=current, group="service:" + SERVICE, launchType="FARGATE", count=2)

    logs = client(endpoint, "logs")
    logs.create_log_group(logGroupName="/ecs/mindhit-api")
    stream = "api/api/0f3c9d2e5b7a4c1d"
    logs.create_log_stream(logGroupName="/ecs/mindhit-api", logStreamName=stream)
    now = int(time.time() * 1000)
    lines = [
        "INFO server started on :8080 (v1.4.2)",
        "INFO GET /health 200 2ms",
        "INFO POST /api/v1/sessions 201 48ms",
        "WARN openai: slow response 8.1s (summarize)",
        "ERROR openai: request timed out after 30s (mindmap, session 8812)",
        "INFO GET /api/v1/mindmaps/8812 200 31ms",
        "ERROR redis: OOM command not allowed when used memory > 'maxmemory'",
        "INFO GET /health 200 3ms",
    ]
    events = [{"timestamp": now - (len(lines) - i) * 60_000, "message": line} for i, line in enumerate(lines)]
    logs.put_log_events(logGroupName="/ecs/mindhit-api", logStreamName=stream, logEvents=events)

    client(endpoint, "rds").create_db_instance(
        DBInstanceIdentifier="mindhit-postgres", Engine="postgres", EngineVersion="16.4", DBInstanceClass="db.t3.medium",
        AllocatedStorage=50, MasterUsername="mindhit", MasterUserPassword="dev-env-fake-password",
        BackupRetentionPeriod=7, DBName="mindhit")

    client(endpoint, "s3").create_bucket(Bucket="mindhit-backups",
                                         CreateBucketConfiguration={"LocationConstraint": REGION})


def deploy_bad(endpoint):
    ecs = client(endpoint, "ecs")
    bad = register(ecs, "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/mindhit-api:v1.5.0")
    ecs.update_service(cluster=CLUSTER, service=SERVICE, taskDefinition=bad)
    # What the new tasks would log: `aws logs tail` in the incident shows why they fail.
    logs = client(endpoint, "logs")
    stream = "api/api/5e1b7c9a0d2f4e63"
    logs.create_log_stream(logGroupName="/ecs/mindhit-api", logStreamName=stream)
    now = int(time.time() * 1000)
    lines = [
        "INFO server starting (v1.5.0)",
        "INFO running database migration 42 (add_mindmap_versions)",
        'ERROR migration 42 failed: column "version" of relation "mindmaps" already exists',
        "ERROR start-up aborted: database schema is not at the expected version",
    ]
    logs.put_log_events(logGroupName="/ecs/mindhit-api", logStreamName=stream,
                        logEvents=[{"timestamp": now - (len(lines) - i) * 1000, "message": line} for i, line in enumerate(lines)])
    print(bad)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "--break":
        deploy_bad(sys.argv[1])
    elif len(sys.argv) == 2:
        seed(sys.argv[1])
    else:
        sys.exit("usage: dev-env-seed.py ENDPOINT [--break]")
