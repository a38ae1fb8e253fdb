import Foundation

/// Resolved AWS settings for one run: credentials, region, profile and where each service lives.
public struct AWSSettings: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    /// Where the region came from (for messages).
    public var regionSource: String
    /// The profile used for files, `default` unless one was named.
    public var profile: String
    /// `AWS_ENDPOINT_URL`, or the profile's `endpoint_url`.
    public var globalEndpoint: URL?
    /// `AWS_ENDPOINT_URL_<SERVICE>` values by suffix (`ECS`, `STS`, ...).
    public var serviceEndpoints: [String: URL]
    /// The most bytes a reply (JSON or XML) may have: `RUNBOOK_MAX_REPLY_BYTES`, else 64 MiB.
    public var maxReplyBytes: UInt64

    public init(credentials: AWSCredentials, region: String, regionSource: String = "given", profile: String = "default",
                globalEndpoint: URL? = nil, serviceEndpoints: [String: URL] = [:],
                maxReplyBytes: UInt64 = AWSReplyLimit.defaultBytes) {
        self.credentials = credentials
        self.region = region
        self.regionSource = regionSource
        self.profile = profile
        self.globalEndpoint = globalEndpoint
        self.serviceEndpoints = serviceEndpoints
        self.maxReplyBytes = maxReplyBytes
    }

    /// The endpoint for `service`: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL` (or the
    /// profile's `endpoint_url`), else AWS's regional `https://<prefix>.<region>.amazonaws.com`.
    public func endpoint(for service: AWSService) -> URL {
        if let url = serviceEndpoints[service.endpointVariableSuffix] { return url }
        if let url = globalEndpoint { return url }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://\(service.endpointPrefix).\(region).\(suffix)")
            ?? URL(fileURLWithPath: "/")  // unreachable: region was validated as a host label
    }
}
