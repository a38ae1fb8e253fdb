import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("AWS settings: credentials, region and endpoints like the AWS CLI")
struct AWSSettingsResolverTests {
    @Test("environment keys win over the default profile")
    func environmentFirst() throws {
        let home = try TempHome(credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n")
        let s = try home.resolver(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret",
                                   "AWS_SESSION_TOKEN": "tok", "AWS_REGION": "eu-west-1"]).resolve()
        #expect(s.credentials.accessKeyID == "AKIDENV")
        #expect(s.credentials.sessionToken == "tok")
        #expect(s.region == "eu-west-1")
    }

    @Test("AWS_PROFILE picks [name] in credentials and region from [profile name] in config")
    func namedProfile() throws {
        let home = try TempHome(
            credentials: "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = x\n\n[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = y # comment\n",
            config: "[default]\nregion = us-east-1\n\n[profile ops]\nregion = ap-northeast-2\ns3 =\n  max_concurrent_requests = 4\n")
        let s = try home.resolver(["AWS_PROFILE": "ops"]).resolve()
        #expect(s.credentials.accessKeyID == "AKIDOPS")
        #expect(s.credentials.secretAccessKey == "y")
        #expect(s.region == "ap-northeast-2")
        #expect(s.profile == "ops")
    }

    @Test("an explicit profile skips the environment keys, as aws --profile does")
    func explicitProfileSkipsEnvironment() throws {
        let home = try TempHome(credentials: "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = y\n")
        let s = try home.resolver(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e"]).resolve(profile: "ops", region: "us-west-2")
        #expect(s.credentials.accessKeyID == "AKIDOPS")
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files")
    func fileOverrides() throws {
        let home = try TempHome()
        let creds = home.path + "/elsewhere-creds", config = home.path + "/elsewhere-config"
        try "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = z\n".write(toFile: creds, atomically: true, encoding: .utf8)
        try "[default]\nregion = sa-east-1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let s = try home.resolver(["AWS_SHARED_CREDENTIALS_FILE": creds, "AWS_CONFIG_FILE": config]).resolve()
        #expect(s.credentials.accessKeyID == "AKIDMOVED")
        #expect(s.region == "sa-east-1")
    }

    @Test("credential_process output is used")
    func credentialProcess() throws {
        let home = try TempHome(config: "[profile proc]\nregion = us-east-1\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\"}'\n")
        let s = try home.resolver(["AWS_PROFILE": "proc"]).resolve()
        #expect(s.credentials.accessKeyID == "AKIDPROC")
        #expect(s.credentials.sessionToken == "t")
    }

    @Test("a failing credential_process is a clear error")
    func credentialProcessFails() throws {
        let home = try TempHome(config: "[default]\nregion = us-east-1\ncredential_process = sh -c 'echo denied >&2; exit 3'\n")
        #expect { try home.resolver().resolve() } throws: { e in
            "\(e)".contains("exited with status 3") && "\(e)".contains("denied")
        }
    }

    @Test("no credentials: one error listing every place looked")
    func noCredentials() throws {
        let home = try TempHome(config: "[default]\nregion = us-east-1\n")
        #expect { try home.resolver().resolve() } throws: { e in
            let text = "\(e)"
            return text.contains("no AWS credentials found") && text.contains("environment")
                && text.contains(home.path + "/.aws/credentials") && text.contains(home.path + "/.aws/config")
        }
    }

    @Test("region order: explicit, AWS_REGION, AWS_DEFAULT_REGION, profile; none is an error")
    func regionChain() throws {
        let home = try TempHome(credentials: "[default]\naws_access_key_id = A\naws_secret_access_key = B\n",
                                config: "[default]\nregion = eu-central-1\n")
        #expect(try home.resolver(["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"]).resolve(region: "ap-northeast-2").region == "ap-northeast-2")
        #expect(try home.resolver(["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"]).resolve().region == "us-east-2")
        #expect(try home.resolver(["AWS_DEFAULT_REGION": "us-west-1"]).resolve().region == "us-west-1")
        #expect(try home.resolver().resolve().region == "eu-central-1")
        let bare = try TempHome(credentials: "[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
        #expect { try bare.resolver().resolve() } throws: { "\($0)".contains("no AWS region") }
    }

    @Test("a named profile that does not exist is an error naming both files")
    func missingProfile() throws {
        let home = try TempHome(credentials: "[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
        #expect { try home.resolver(["AWS_PROFILE": "nope", "AWS_REGION": "us-east-1"]).resolve() } throws: {
            "\($0)".contains("profile 'nope' not found")
        }
    }

    @Test("endpoints: per-service variable, then AWS_ENDPOINT_URL, then AWS's regional host")
    func endpoints() throws {
        let home = try TempHome()
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_REGION": "ap-northeast-2"]
        let plain = try home.resolver(env).resolve()
        #expect(plain.endpoint(for: .ecs).absoluteString == "https://ecs.ap-northeast-2.amazonaws.com")
        #expect(plain.endpoint(for: .logs).absoluteString == "https://logs.ap-northeast-2.amazonaws.com")
        var withGlobal = env
        withGlobal["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000"
        withGlobal["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:6000"
        withGlobal["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = "http://127.0.0.1:7000"
        let s = try home.resolver(withGlobal).resolve()
        #expect(s.endpoint(for: .ecs).absoluteString == "http://127.0.0.1:5000")
        #expect(s.endpoint(for: .sts).absoluteString == "http://127.0.0.1:6000")
        #expect(s.endpoint(for: .logs).absoluteString == "http://127.0.0.1:7000")
        var bad = env
        bad["AWS_ENDPOINT_URL_ECS"] = "localhost:5000"
        #expect { try home.resolver(bad).resolve() } throws: { "\($0)".contains("AWS_ENDPOINT_URL_ECS") }
    }

    @Test("credentials never show their secret when printed")
    func secretNotPrinted() {
        let c = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "TOKEN123")
        #expect(!"\(c)".contains("wJalr"))
        #expect(!"\(c)".contains("TOKEN123"))
    }
}
