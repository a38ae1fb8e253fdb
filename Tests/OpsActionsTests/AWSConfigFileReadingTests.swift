import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("AWS config and credentials files of every kind: /dev/null, FIFOs, missing, unreadable")
struct AWSConfigFileReadingTests {
    static let keys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_REGION": "eu-west-1"]

    func message(_ body: () throws -> AWSSettings) -> String? {
        do {
            _ = try body()
            Issue.record("resolved instead of failing")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("AWS_CONFIG_FILE=/dev/null and AWS_SHARED_CREDENTIALS_FILE=/dev/null read as empty: keys and region from the environment")
    func devNull() throws {
        let home = try TempHome(credentials: "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = h\n",
                                config: "[default]\nregion = us-east-1\n")
        var env = Self.keys
        env["AWS_CONFIG_FILE"] = "/dev/null"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        let s = try home.resolver(env).resolve()
        #expect(s.credentials.accessKeyID == "AKIDENV")
        #expect(s.region == "eu-west-1")
        // Without keys in the environment, /dev/null is a file with no sections, not a missing one.
        let text = try #require(message { try home.resolver(["AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"]).resolve() })
        #expect(text.contains("/dev/null [default] (no such section)"), "\(text)")
    }

    @Test("both files as FIFOs that a writer fills: the profile's keys and region come from them")
    func fifos() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let credentials = try FIFOWriter(path: dir.file("credentials"), text: "[ops]\naws_access_key_id = AKIDFIFO\naws_secret_access_key = fifosecret\n")
        let config = try FIFOWriter(path: dir.file("config"), text: "[profile ops]\nregion = ap-northeast-2\n")
        defer {
            credentials.stop()
            config.stop()
        }
        let home = try TempHome()
        let s = try home.resolver(["AWS_PROFILE": "ops", "AWS_SHARED_CREDENTIALS_FILE": credentials.path,
                                   "AWS_CONFIG_FILE": config.path]).resolve()
        #expect(s.credentials.accessKeyID == "AKIDFIFO")
        #expect(s.region == "ap-northeast-2")
        #expect(credentials.served == 1 && config.served == 1)
    }

    @Test("a missing file is ignored, as the AWS CLI ignores it")
    func missingIgnored() throws {
        let home = try TempHome()
        var env = Self.keys
        env["AWS_CONFIG_FILE"] = home.path + "/no-such-config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = home.path + "/no-such-folder/credentials"
        #expect(try home.resolver(env).resolve().credentials.accessKeyID == "AKIDENV")
        let text = try #require(message { try home.resolver(["AWS_CONFIG_FILE": home.path + "/no-such-config"]).resolve() })
        #expect(text.contains("\(home.path)/no-such-config [default] (no such file)"), "\(text)")
    }

    @Test("a file that is there but cannot be read names it, the system's reason and the setting that named it")
    func unreadable() throws {
        let home = try TempHome()
        var env = Self.keys
        env["AWS_CONFIG_FILE"] = home.path
        let named = try #require(message { try home.resolver(env).resolve() })
        #expect(named == "cannot read \(home.path): Is a directory; give the path of a file, not a folder (set by AWS_CONFIG_FILE)")
        // The default place: the way out is to point the setting elsewhere.
        try FileManager.default.createDirectory(atPath: home.path + "/.aws/credentials", withIntermediateDirectories: true)
        let byDefault = try #require(message { try home.resolver(Self.keys).resolve() })
        #expect(byDefault == "cannot read \(home.path)/.aws/credentials: Is a directory; give the path of a file, not a folder, or set AWS_SHARED_CREDENTIALS_FILE=/dev/null to read none")
    }

    @Test("a credentials file over 16 MiB stops at the limit with an error naming it")
    func tooLarge() throws {
        let home = try TempHome()
        let path = home.path + "/huge-credentials"
        try #require(FileManager.default.createFile(atPath: path, contents: nil))
        try #require(truncate(path, off_t(16 << 20) + 1) == 0)
        var env = Self.keys
        env["AWS_SHARED_CREDENTIALS_FILE"] = path
        let text = try #require(message { try home.resolver(env).resolve() })
        #expect(text.hasPrefix("cannot read \(path): larger than 16 MiB, the most read from it"), "\(text)")
    }
}
