import Foundation

// MARK: - awsJson1_1

extension AWSClient {
    /// Calls an awsJson1_1 operation (`X-Amz-Target: <prefix>.<operation>`) and decodes the reply.
    public func callJSON<Input: Encodable, Output: Decodable>(_ operation: String, _ input: Input,
                                                               as: Output.Type = Output.self) throws(AWSError) -> Output {
        guard case .json(let prefix) = service.wireProtocol else {
            throw AWSError(service: service.displayName, operation: operation,
                           reason: .unreadableResponse(status: 0, detail: "\(service.displayName) does not speak JSON", requestID: nil))
        }
        let body: Data
        do {
            body = try JSONEncoder().encode(input)
        } catch {
            throw AWSError(service: service.displayName, operation: operation,
                           reason: .unreadableResponse(status: 0, detail: "cannot encode the request: \(error)", requestID: nil))
        }
        let response = try send(operation: operation, headers: [
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: "\(prefix).\(operation)"),
        ], body: .bytes(body), parseError: Self.jsonError)
        do {
            return try JSONDecoder().decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw AWSError(service: service.displayName, operation: operation,
                           reason: .unreadableResponse(status: response.status, detail: "reply does not match \(Output.self): \(error)",
                                                       requestID: response.header("x-amzn-RequestId")))
        }
    }

    /// Reads `{"__type": "...#Code", "message": "..."}` (or `Message`), or `x-amzn-ErrorType`.
    public static func jsonError(_ response: HTTPResponse) -> (code: String, message: String)? {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        var code = (object?["__type"] as? String) ?? (object?["code"] as? String) ?? response.header("x-amzn-ErrorType")
        // "com.amazonaws.ecs#ClientException" and "ClientException:http://..." both name ClientException.
        if let c = code {
            code = String(c.split(separator: "#").last ?? Substring(c)).split(separator: ":").first.map(String.init) ?? c
        }
        let message = (object?["message"] as? String) ?? (object?["Message"] as? String) ?? ""
        guard let code, !code.isEmpty else {
            // moto and some proxies answer HTML or XML; take the query protocol's shape if it is there.
            return queryError(response)
        }
        return (code, message)
    }
}

// MARK: - query

extension AWSClient {
    /// Calls a query-protocol action (`Action=...&Version=...` form POST) and returns the XML reply.
    public func callQuery(_ action: String, parameters: [(name: String, value: String)] = []) throws(AWSError) -> XMLTree {
        guard case .query(let version) = service.wireProtocol else {
            throw AWSError(service: service.displayName, operation: action,
                           reason: .unreadableResponse(status: 0, detail: "\(service.displayName) does not speak the query protocol", requestID: nil))
        }
        var items = [(name: "Action", value: action), (name: "Version", value: version)]
        items.append(contentsOf: parameters)
        let form = items.map { "\(SigV4Signer.uriEncode($0.name))=\(SigV4Signer.uriEncode($0.value))" }.joined(separator: "&")
        let response = try send(operation: action, headers: [
            (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
        ], body: .bytes(Data(form.utf8)), parseError: Self.queryError)
        guard let tree = XMLTree.parse(response.body) else {
            throw AWSError(service: service.displayName, operation: action,
                           reason: .unreadableResponse(status: response.status, detail: "reply is not XML", requestID: response.header("x-amzn-RequestId")))
        }
        return tree
    }

    /// Reads `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error><RequestId>..`.
    public static func queryError(_ response: HTTPResponse) -> (code: String, message: String)? {
        guard let tree = XMLTree.parse(response.body), let code = tree.value("Code"), !code.isEmpty else { return nil }
        return (code, tree.value("Message") ?? "")
    }
}
