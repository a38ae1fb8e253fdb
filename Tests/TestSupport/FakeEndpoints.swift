import Foundation

/// Local stand-ins for the HTTP endpoints runbooks talk to (Prometheus, Slack), for library and CLI tests.
public enum FakeEndpoints {
    public static let vector = #"""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","instance":"api-1:9100","job":"api"},"value":[1764221000.5,"1"]},
          {"metric":{"__name__":"up","instance":"api-2:9100","job":"api"},"value":[1764221000.5,"0"]}]}}
        """#
    public static let scalar = #"{"status":"success","data":{"resultType":"scalar","result":[1764221000,"0.25"]}}"#
    public static let error = #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected <EOF>"}"#

    /// A Prometheus query API answering `up` (a vector), `scalar(0.25)` and, for anything else, a parse error.
    public static func prometheus() throws -> LocalHTTPServer {
        try LocalHTTPServer { req in
            guard req.target.hasPrefix("/api/v1/query?") else { return .json(404, "{}") }
            switch req.query("query") {
            case "up": return .json(200, vector)
            case "scalar(0.25)": return .json(200, scalar)
            default: return .json(400, error)
            }
        }
    }

    /// A Slack webhook answering `status` ("ok" for 200).
    public static func slackWebhook(status: Int = 200) throws -> LocalHTTPServer {
        try LocalHTTPServer { _ in LocalHTTPServer.Response(status: status, body: status == 200 ? "ok" : "internal_error") }
    }

    /// The webhook URL on `server`, its last segment the canary token.
    public static func slackURL(_ server: LocalHTTPServer) -> URL {
        server.url.appendingPathComponent("services/T0000/B0000/\(Canary.webhookToken)")
    }
}
