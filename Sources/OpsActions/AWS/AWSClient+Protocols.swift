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
        return try decodeReply(response, operation: operation)
    }

    /// The reply as `Output`. An empty body is only an answer from an operation whose output has
    /// nothing required (CreateLogStream); anywhere else it is an error, never an empty result.
    func decodeReply<Output: Decodable>(_ response: HTTPResponse, operation: String) throws(AWSError) -> Output {
        let detail: String
        if response.body.isEmpty {
            if !ReplyShapeProbe.readsFields(Output.self), let nothing = try? JSONDecoder().decode(Output.self, from: Data("{}".utf8)) {
                return nothing
            }
            detail = "the body is empty, where a JSON document was expected"
        } else {
            do {
                return try JSONDecoder().decode(Output.self, from: response.body)
            } catch let error as DecodingError {
                detail = Self.describe(error)
            } catch {
                detail = "the reply could not be read: \(error)"
            }
        }
        throw AWSError(service: service.displayName, operation: operation,
                       reason: .unreadableResponse(status: response.status, detail: detail, requestID: response.header("x-amzn-RequestId")))
    }

    /// What is wrong with a JSON reply, in a few words with the path to the value.
    static func describe(_ error: DecodingError) -> String {
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: return "text"
            case is Bool.Type: return "true or false"
            case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type: return "a number"
            default:
                let name = "\(type)"
                if name.hasPrefix("Array<") { return "a list" }
                if name.hasPrefix("Dictionary<") { return "an object" }
                return name
            }
        }
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "the reply has no \"\(key.stringValue)\" (at \(path(context.codingPath)))"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) in the reply is not \(kind(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) in the reply is null, where \(kind(type)) was expected"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context.codingPath)) in the reply: \(context.debugDescription)"
        @unknown default:
            return "the reply does not match: \(error)"
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
        return try readXML(response, operation: action)
    }

    /// The reply as an XML tree; an empty or broken body is an error naming the operation.
    func readXML(_ response: HTTPResponse, operation: String) throws(AWSError) -> XMLTree {
        do {
            return try XMLTree.read(response.body, maxBytes: settings.maxReplyBytes)
        } catch {
            throw AWSError(service: service.displayName, operation: operation,
                           reason: .unreadableResponse(status: response.status, detail: error.description,
                                                       requestID: response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")))
        }
    }

    /// Reads `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error><RequestId>..`.
    public static func queryError(_ response: HTTPResponse) -> (code: String, message: String)? {
        guard let tree = XMLTree.parse(response.body), let code = tree.value("Code"), !code.isEmpty else { return nil }
        return (code, tree.value("Message") ?? "")
    }
}
