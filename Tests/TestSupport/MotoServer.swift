import Foundation
import OpsActions

/// A real moto server (`python3 -m moto.server`) on a free loopback port, for integration tests.
///
/// Started by `init`, ready when it returns; stopped by `stop()` or when released. It also stops
/// when the test process ends, however it ends: moto runs with a watcher thread that exits once
/// this process is gone.
public final class MotoServer: @unchecked Sendable {
    // `@unchecked`: `process` is set once in init and only read after.
    public let port: Int
    private let process: Process

    /// `http://127.0.0.1:PORT`.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    /// Starts moto with `environment` added (e.g. `MOTO_ECS_SERVICE_RUNNING`) and waits until it answers.
    public init(environment: [String: String] = [:], readyTimeout: Double = 30) throws {
        port = try LoopbackPort.free()
        process = Process()
        // moto itself watches this process and exits once it is gone, however the tests end.
        let launcher = """
            import os, runpy, sys, threading, time
            parent = int(sys.argv[1])
            def watch():
                while True:
                    try:
                        os.kill(parent, 0)
                    except OSError:
                        os._exit(0)
                    time.sleep(0.5)
            threading.Thread(target=watch, daemon=True).start()
            sys.argv = ["moto.server", "-H", "127.0.0.1", "-p", sys.argv[2]]
            runpy.run_module("moto.server", run_name="__main__")
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", launcher, "\(getpid())", "\(port)"]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let transport = CurlTransport()
        let deadline = Date().addingTimeInterval(readyTimeout)
        while Date() < deadline {
            if let r = try? transport.send(HTTPRequest(method: "GET", url: endpoint.appendingPathComponent("moto-api/data.json"),
                                                       connectTimeout: 1, timeout: 2)), r.status == 200 {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw TestSupportError("moto did not answer on \(endpoint) within \(Int(readyTimeout))s; is moto[server] installed (scripts/setup)?")
    }

    deinit { stop() }

    /// Stops moto (idempotent).
    public func stop() {
        if process.isRunning {
            // SIGKILL: moto's SIGTERM handler waits for open keep-alive connections.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Forgets every resource (`POST /moto-api/reset`).
    public func reset() throws {
        try post("moto-api/reset", body: "")
    }

    /// Turns signature checking on after `freeActions` more unauthenticated calls (`/moto-api/reset-auth`).
    public func enableAuthentication(freeActions: Int = 0) throws {
        try post("moto-api/reset-auth", body: "\(freeActions)")
    }

    private func post(_ path: String, body: String) throws {
        // text/plain: moto reads the raw body, which a form content type would hide.
        let r = try CurlTransport().send(HTTPRequest(method: "POST", url: endpoint.appendingPathComponent(path),
                                                     headers: [(name: "Content-Type", value: "text/plain")],
                                                     body: .bytes(Data(body.utf8)), timeout: 10))
        guard (200..<300).contains(r.status) else { throw TestSupportError("POST \(path) gave HTTP \(r.status)") }
    }

    /// Settings that point every service at this server, with the given (fake) keys.
    public func settings(accessKeyID: String = "AKIDEXAMPLE", secret: String = "moto-fake-secret",
                         region: String = "ap-northeast-2") -> AWSSettings {
        AWSSettings(credentials: AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, source: "test"),
                    region: region, globalEndpoint: endpoint)
    }

    /// Calls any awsJson1_1 operation with a JSON body given as a dictionary (for seeding).
    @discardableResult
    public func json(_ service: AWSService = .ecs, _ operation: String, _ body: [String: Any],
                     settings: AWSSettings? = nil) throws -> [String: Any] {
        guard case .json(let prefix) = service.wireProtocol else { throw TestSupportError("\(service.displayName) is not JSON") }
        let client = AWSClient(service: service, settings: settings ?? self.settings(), transport: CurlTransport(),
                               retry: RetryPolicy(maxAttempts: 1))
        let data = try JSONSerialization.data(withJSONObject: body)
        let r = try client.send(operation: operation, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"),
                                                                (name: "X-Amz-Target", value: "\(prefix).\(operation)")],
                                body: .bytes(data), parseError: AWSClient.jsonError)
        if r.body.isEmpty { return [:] }  // CreateLogGroup and friends answer with no body
        return (try JSONSerialization.jsonObject(with: r.body)) as? [String: Any] ?? [:]
    }

    /// Creates an IAM user allowed everything and returns its new access key id and secret.
    public func createAdminUser(name: String) throws -> (id: String, secret: String) {
        let iam = AWSClient(service: AWSService(displayName: "IAM", signingName: "iam", endpointPrefix: "iam",
                                                endpointVariableSuffix: "IAM", wireProtocol: .query(version: "2010-05-08")),
                            settings: settings(region: "us-east-1"), transport: CurlTransport(), retry: RetryPolicy(maxAttempts: 1))
        _ = try iam.callQuery("CreateUser", parameters: [(name: "UserName", value: name)])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try iam.callQuery("PutUserPolicy", parameters: [(name: "UserName", value: name), (name: "PolicyName", value: "all"),
                                                            (name: "PolicyDocument", value: policy)])
        let key = try iam.callQuery("CreateAccessKey", parameters: [(name: "UserName", value: name)])
        guard let id = key.value("AccessKeyId"), let secret = key.value("SecretAccessKey") else {
            throw TestSupportError("CreateAccessKey returned no key")
        }
        return (id, secret)
    }
}

/// A failure in test set-up, with what to check.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
