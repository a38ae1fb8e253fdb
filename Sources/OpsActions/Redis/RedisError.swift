#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a Redis probe failed, naming the server (host:port only: a URL may hold the password).
public enum RedisError: Error, Sendable, CustomStringConvertible, Equatable {
    case badURL(String)
    case hostNotFound(endpoint: String, detail: String)
    case connectionRefused(endpoint: String)
    case timedOut(endpoint: String, seconds: Double)
    case connectionClosed(endpoint: String)
    case io(endpoint: String, call: String, errno: Int32)
    case authenticationRequired(endpoint: String)
    case authenticationFailed(endpoint: String, reply: String)
    case commandFailed(endpoint: String, command: String, reply: String)
    case protocolError(endpoint: String, detail: String)
    case passwordVariableUnset(String)

    public var description: String {
        switch self {
        case .badURL(let why): return "Redis URL \(why); write redis://HOST:PORT"
        case .hostNotFound(let e, let d): return "Redis host of \(e) not found (\(d))"
        case .connectionRefused(let e): return "connection refused by Redis at \(e): nothing is listening there"
        case .timedOut(let e, let s): return "Redis at \(e) did not answer within \(HTTPTransportError.seconds(s))"
        case .connectionClosed(let e): return "Redis at \(e) closed the connection"
        case .io(let e, let call, let code): return "Redis at \(e): \(call) failed: \(String(cString: strerror(code)))"
        case .authenticationRequired(let e):
            return "Redis at \(e) requires a password (NOAUTH); set redis_password_env in runbook.toml or pass --password-env NAME"
        case .authenticationFailed(let e, let reply):
            return "Redis at \(e) refused the password: \(reply); check the variable named by redis_password_env"
        case .commandFailed(let e, let command, let reply): return "Redis at \(e): \(command) failed: \(reply)"
        case .protocolError(let e, let d): return "Redis at \(e): \(d)"
        case .passwordVariableUnset(let v): return "Redis password variable \(v) is not set"
        }
    }
}
