import RunbookCore
import Testing
@testable import RunbookExec

func makeStep(_ code: String, id: String = "s", kind: StepKind = .diagnose, language: String = "bash",
              condition: StepCondition? = nil, timeout: Int = 120) -> Step {
    Step(id: id, hasExplicitID: true, language: language, kind: kind, hasExplicitKind: true, timeoutSeconds: timeout,
         confirm: kind == .act, condition: condition, skip: false, code: code, parameters: (try? ShellWords.parse(code))?.parameterNames ?? [],
         line: 10, sectionID: "sec")
}

@Suite("Planner")
struct PlannerTests {
    /// Each recognised form, with the native action it plans to.
    static let native: [(String, String)] = [
        ("aws ecs describe-services --cluster mindhit-cluster --services mindhit-api",
         "ecs.describe-services cluster=mindhit-cluster services=mindhit-api"),
        ("aws ecs describe-tasks --cluster ${CLUSTER} --tasks <task-id> --region ap-northeast-2",
         "ecs.describe-tasks cluster=${CLUSTER} tasks=<task-id> region=ap-northeast-2"),
        ("aws ecs list-tasks --cluster c --service-name s --desired-status RUNNING --no-cli-pager",
         "ecs.list-tasks cluster=c service=s desired_status=RUNNING"),
        ("aws ecs update-service --cluster c --service s --force-new-deployment",
         "ecs.update-service.force-new-deployment cluster=c service=s"),
        ("aws ecs update-service --cluster=c --service s --task-definition mindhit-api:41",
         "ecs.update-service.task-definition cluster=c service=s task_definition=mindhit-api:41"),
        ("aws ecs wait services-stable --cluster c --services s1 s2 --profile ops",
         "ecs.wait.services-stable cluster=c services=s1,s2 profile=ops"),
        ("aws logs tail /ecs/mindhit-api --since 15m --follow --filter-pattern 'ERROR 500'",
         "logs.tail log_group=/ecs/mindhit-api since=15m follow=true filter_pattern=ERROR 500"),
        ("aws rds describe-db-instances --db-instance-identifier mindhit-postgres",
         "rds.describe-db-instances db_instance=mindhit-postgres"),
        ("aws rds describe-db-instances", "rds.describe-db-instances"),
        ("aws sts get-caller-identity", "sts.get-caller-identity"),
        ("aws s3 cp backup.sql.gz s3://mindhit-backups/daily/", "s3.upload file=backup.sql.gz bucket=mindhit-backups key=daily/backup.sql.gz"),
        ("aws s3 cp s3://mindhit-backups/daily/x.gz ./x.gz", "s3.download bucket=mindhit-backups key=daily/x.gz file=./x.gz"),
        ("./scripts/rollback.sh", "ecs.rollback"),
        ("curl -fsS --max-time 5 https://api.mindhit.io/health",
         "http.health url=https://api.mindhit.io/health max_time=5s fail_on_http_error=true"),
        ("curl -s -m 3 --connect-timeout 2 ${HEALTH_URL}",
         "http.health url=${HEALTH_URL} max_time=3s connect_timeout=2s fail_on_http_error=false"),
        ("curl -sS 'http://prom:9090/api/v1/query?query=up%7Bjob%3D%22api%22%7D'",
         "prometheus.query prometheus_url=http://prom:9090 query=up{job=\"api\"}"),
        ("curl -G -s ${PROMETHEUS_URL}/api/v1/query --data-urlencode 'query=rate(x[5m])'",
         "prometheus.query prometheus_url=${PROMETHEUS_URL} query=rate(x[5m])"),
        ("redis-cli -h 127.0.0.1 -p 6379 INFO memory", "redis.info host=127.0.0.1 port=6379 section=memory"),
        ("redis-cli info", "redis.info"),
    ]

    @Test(arguments: native)
    func recognises(_ line: String, _ expected: String) throws {
        let plan = try SectionPlanner.plan(step: makeStep(line))
        #expect(plan.commands.count == 1)
        guard case .native(let action) = try #require(plan.commands.first).action else {
            Issue.record("planned as shell: \(plan.commands.first?.reason ?? "")")
            return
        }
        #expect(action.summary == expected)
    }

    /// Commands that stay shell steps, with the reason the plan gives.
    static let shell: [(String, String)] = [
        ("aws ecs describe-services --cluster c --services s --include TAGS", "option --include"),
        ("aws ecs update-service --cluster c --service s --desired-count 0", "option --desired-count"),
        ("aws ecs describe-services --cluster c --services s --query 'services[0].status'", "--query"),
        ("aws ecs describe-services --cluster c --services s --output table", "--output"),
        ("aws ecs describe-services --endpoint-url http://x --cluster c --services s", "--endpoint-url"),
        ("aws logs tail /g --format short", "option --format"),
        ("aws ecs update-service --cluster c --service s", "--force-new-deployment or --task-definition"),
        ("aws ecs list-tasks --cluster c | jq .", "pipeline"),
        ("curl -fsS http://h/health || ./scripts/rollback.sh", "pipeline or list"),
        ("curl -k https://h/health", "option -k"),
        ("curl -X POST https://h/health", "not a read"),
        ("curl -fsS https://h/metrics", "neither a /health probe"),
        ("psql \"$DATABASE_URL\" -c 'SELECT 1'", "needs shell expansion"),
        ("pg_dump mindhit > backup.sql", "redirects"),
        ("redis-cli FLUSHALL", "only for INFO"),
        ("redis-cli -a hunter22 INFO", "password"),
        ("./scripts/rollback.sh mindhit-api:3", "without arguments"),
        ("kubectl get pods", "kubectl is not a native action"),
    ]

    @Test(arguments: shell)
    func staysShell(_ line: String, _ reasonFragment: String) throws {
        let plan = try SectionPlanner.plan(step: makeStep(line))
        let command = try #require(plan.commands.first)
        #expect(!command.isNative)
        #expect(command.reason?.contains(reasonFragment) == true, "reason: \(command.reason ?? "none")")
    }

    @Test func stateChangesAreKnown() throws {
        let redeploy = try SectionPlanner.plan(step: makeStep("aws ecs update-service --cluster c --service s --force-new-deployment\naws ecs wait services-stable --cluster c --services s", kind: .act))
        #expect(redeploy.commands.map(\.changesState) == [true, false])
        #expect(redeploy.asks(protected: false) && redeploy.asks(protected: true))
        let upload = try SectionPlanner.plan(step: makeStep("aws s3 cp a.gz s3://b/a.gz"))
        #expect(upload.changesState)
        let read = try SectionPlanner.plan(step: makeStep("aws ecs describe-services --cluster c --services s\nredis-cli INFO memory"))
        #expect(!read.changesState)
        #expect(!read.asks(protected: true))
        let psql = try SectionPlanner.plan(step: makeStep("psql -c 'DELETE FROM jobs'"))
        #expect(psql.changesState)
        #expect(psql.kindContradiction?.contains("changes state (SQL DELETE changes the database)") == true || psql.step.kind == .act,
                "a diagnose step that writes is refused; an act step asks")
        #expect(psql.asks(protected: true))
    }

    @Test func continuationsAndComments() throws {
        let plan = try SectionPlanner.plan(step: makeStep("# 현재 상태\naws ecs describe-services \\\n  --cluster c \\\n  --services s  # 서비스\n"))
        #expect(plan.commands.count == 1)
        #expect(plan.commands.first?.isNative == true)
        #expect(plan.commands.first?.line == 12)
    }

    @Test func adjacentShellCommandsShareOneBash() throws {
        let plan = try SectionPlanner.plan(step: makeStep("psql -c 'select 1'\npg_isready\naws sts get-caller-identity\necho done"))
        #expect(plan.commands.map(\.isNative) == [false, true, false])
        #expect(plan.commands.first?.source == "psql -c 'select 1'\npg_isready")
    }

    @Test func statefulBlockRunsWhole() throws {
        let code = "TASK=$(aws ecs list-tasks --cluster c --query 'taskArns[0]' --output text)\naws ecs describe-tasks --cluster c --tasks \"$TASK\""
        let plan = try SectionPlanner.plan(step: makeStep(code))
        #expect(plan.commands.count == 1)
        #expect(plan.commands.first?.reason?.contains("assigns a shell variable") == true)
    }

    @Test func consoleBlocksDropOutput() throws {
        let plan = try SectionPlanner.plan(step: makeStep("$ aws sts get-caller-identity\n{\n  \"Account\": \"1\"\n}", language: "console"))
        #expect(plan.commands.count == 1)
        #expect(plan.commands.first?.isNative == true)
    }
}
