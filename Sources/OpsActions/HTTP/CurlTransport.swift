import CCurl
import Foundation

/// The real `HTTPTransport`: one libcurl easy handle, reused so connections stay alive between calls.
///
/// This is the only Swift file that imports `CCurl`; no C pointer leaves it. TLS peer and host
/// verification are always on; proxies come from the environment exactly as curl reads them
/// (`http_proxy`, `https_proxy`, `no_proxy`, ...). Calls on one transport are serialised by a lock.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    // `@unchecked`: `handle` is only touched while `lock` is held.
    private let lock = NSLock()
    private let handle: UnsafeMutableRawPointer?

    private static let globalInit: CURLcode = curl_global_init(3)  // CURL_GLOBAL_ALL (SSL | WIN32)

    public init() {
        _ = Self.globalInit
        handle = curl_easy_init()
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
    }

    public func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        lock.lock()
        defer { lock.unlock() }
        let endpoint = request.url.hostAndPort
        guard let handle else {
            throw HTTPTransportError(kind: .invalidRequest, endpoint: endpoint, detail: "libcurl could not create a handle")
        }
        curl_easy_reset(handle)  // keeps the connection cache: that is the point of reusing the handle

        let state = TransferState()
        state.downloadPath = request.downloadPath
        switch request.body {
        case .empty: break
        case .bytes(let data): state.source = .memory(data, 0)
        case .file(let path, let offset, let length):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw HTTPTransportError(kind: .bodyUnreadable, endpoint: endpoint,
                                         detail: "\(path): \(String(cString: strerror(errno)))")
            }
            state.source = .file(fd, offset, length)
        }
        defer { state.close() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for h in request.headers { headerList = curl_slist_append(headerList, "\(h.name): \(h.value)") }
        // No "Expect: 100-continue" round trip before a body: AWS answers at once.
        headerList = curl_slist_append(headerList, "Expect:")
        // Curl labels every POST body as a form unless told otherwise; a body is only what the caller says.
        if request.header("Content-Type") == nil { headerList = curl_slist_append(headerList, "Content-Type:") }

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buf in
            let context = Unmanaged.passUnretained(state).toOpaque()
            var rc = CURLE_OK
            func set(_ r: CURLcode) { if rc == CURLE_OK { rc = r } }
            set(ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, buf.baseAddress))
            set(ccurl_setopt_str(handle, CURLOPT_URL, request.url.absoluteString))
            set(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set(ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
            set(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
            set(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
            set(ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
            set(ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
            set(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
            set(ccurl_set_write_callback(handle, curlWrite, context))
            set(ccurl_set_header_callback(handle, curlHeader, context))
            switch request.method.uppercased() {
            case "GET" where request.body == .empty:
                set(ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1))
            case "HEAD":
                set(ccurl_setopt_long(handle, CURLOPT_NOBODY, 1))
            default:
                // Every body goes through the read callback, so a file streams in small chunks.
                set(ccurl_setopt_long(handle, CURLOPT_POST, 1))
                set(ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                set(ccurl_set_read_callback(handle, curlRead, context))
                if request.method.uppercased() != "POST" {
                    set(ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method.uppercased()))
                }
            }
            guard rc == CURLE_OK else { return rc }
            let result = curl_easy_perform(handle)
            // The buffer dies with this closure: the handle must not keep pointing at it.
            _ = ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, nil)
            return result
        }

        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { buf -> String in
                let s = buf.baseAddress.map { String(cString: $0) } ?? ""
                return s.isEmpty ? String(cString: curl_easy_strerror(code)) : s
            }
            if code == CURLE_WRITE_ERROR, let failure = state.writeFailure {
                throw HTTPTransportError(kind: .downloadUnwritable, endpoint: endpoint, detail: failure)
            }
            throw Self.error(code, handle: handle, request: request, endpoint: endpoint, detail: detail, readFailure: state.readFailure)
        }

        var status = 0
        var timing = HTTPTiming()
        var d = 0.0
        if ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK { status = 0 }
        if ccurl_getinfo_double(handle, CURLINFO_NAMELOOKUP_TIME, &d) == CURLE_OK { timing.nameLookup = d }
        if ccurl_getinfo_double(handle, CURLINFO_CONNECT_TIME, &d) == CURLE_OK { timing.connect = d }
        if ccurl_getinfo_double(handle, CURLINFO_STARTTRANSFER_TIME, &d) == CURLE_OK { timing.firstByte = d }
        if ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &d) == CURLE_OK { timing.total = d }
        if let path = request.downloadPath, (200..<300).contains(status), state.downloadFD < 0 {
            // An empty 2xx body still leaves the (empty) file the caller asked for.
            guard state.openDownload(path) else {
                throw HTTPTransportError(kind: .downloadUnwritable, endpoint: endpoint, detail: state.writeFailure ?? path)
            }
        }
        if state.downloadFD >= 0 && fsync(state.downloadFD) != 0 {
            throw HTTPTransportError(kind: .downloadUnwritable, endpoint: endpoint, detail: "\(request.downloadPath ?? ""): \(String(cString: strerror(errno)))")
        }
        var response = HTTPResponse(status: status, headers: state.headers, body: state.body, timing: timing)
        response.downloadedBytes = state.downloaded
        return response
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    private static func error(_ code: CURLcode, handle: UnsafeMutableRawPointer, request: HTTPRequest, endpoint: String,
                              detail: String, readFailure: String?) -> HTTPTransportError {
        var osErrno = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
        var connectTime = 0.0
        _ = ccurl_getinfo_double(handle, CURLINFO_CONNECT_TIME, &connectTime)
        switch code {
        case CURLE_COULDNT_CONNECT:
            if osErrno == Int(ECONNREFUSED) { return HTTPTransportError(kind: .connectionRefused, endpoint: endpoint, detail: detail) }
            return HTTPTransportError(kind: .connectFailed, endpoint: endpoint, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            if connectTime == 0 {
                return HTTPTransportError(kind: .connectFailed, endpoint: endpoint, detail: detail,
                                          timeout: min(request.connectTimeout, request.timeout))
            }
            return HTTPTransportError(kind: .timedOut, endpoint: endpoint, detail: detail, timeout: request.timeout)
        case CURLE_COULDNT_RESOLVE_HOST:
            return HTTPTransportError(kind: .hostNotFound, endpoint: endpoint, detail: detail)
        case CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPTransportError(kind: .proxy, endpoint: endpoint, detail: detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return HTTPTransportError(kind: .tls, endpoint: endpoint, detail: detail)
        case CURLE_ABORTED_BY_CALLBACK, CURLE_READ_ERROR:
            return HTTPTransportError(kind: .bodyUnreadable, endpoint: endpoint, detail: readFailure ?? detail)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            return HTTPTransportError(kind: .invalidRequest, endpoint: endpoint, detail: detail)
        default:
            return HTTPTransportError(kind: .connectionLost, endpoint: endpoint, detail: detail)
        }
    }
}

// MARK: - Transfer state and callbacks

/// Everything one transfer reads and writes; reached from the C callbacks through their context pointer.
private final class TransferState {
    enum Source {
        case none
        case memory(Data, Int)
        case file(Int32, UInt64, UInt64)  // fd, next offset, bytes left
    }

    var source: Source = .none
    var body = Data()
    var headers: [(name: String, value: String)] = []
    var readFailure: String?
    /// Where a 2xx body goes instead of `body`, its descriptor once opened, and what was written.
    var downloadPath: String?
    var downloadFD: Int32 = -1
    var downloaded: UInt64 = 0
    var writeFailure: String?
    /// Status of the response being received, from its status line.
    var status = 0

    func close() {
        if case .file(let fd, _, _) = source { _ = Foundation.close(fd) }
        source = .none
        if downloadFD >= 0 { _ = Foundation.close(downloadFD) }
        downloadFD = -1
    }

    /// Opens (creating or truncating) the download file; false with `writeFailure` set if it cannot.
    func openDownload(_ path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            writeFailure = "\(path): \(String(cString: strerror(errno)))"
            return false
        }
        downloadFD = fd
        return true
    }

    /// Writes `n` bytes at `bytes` to the download file; false with `writeFailure` set on an error.
    func writeDownload(_ bytes: UnsafeRawPointer, _ n: Int) -> Bool {
        guard let path = downloadPath else { return false }
        if downloadFD < 0 && !openDownload(path) { return false }
        var done = 0
        while done < n {
            let w = write(downloadFD, bytes + done, n - done)
            if w < 0 && errno == EINTR { continue }
            guard w > 0 else {
                writeFailure = "\(path): \(String(cString: strerror(errno)))"
                return false
            }
            done += w
        }
        downloaded += UInt64(n)
        return true
    }
}

private func curlWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    if state.downloadPath != nil && (200..<300).contains(state.status) {
        return state.writeDownload(UnsafeRawPointer(data), n) ? n : 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) { state.body.append($0, count: n) }
    return n
}

private func curlHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        state.headers = []  // a new response (after a 100 Continue): keep only the final one's headers
        let parts = line.split(separator: " ")
        state.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        state.headers.append((name: name, value: value))
    }
    return n
}

private func curlRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return ccurl_read_abort() }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let capacity = size * count
    switch state.source {
    case .none:
        return 0
    case .memory(let data, let offset):
        let n = min(capacity, data.count - offset)
        guard n > 0 else { return 0 }
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress {
                UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: n)
            }
        }
        state.source = .memory(data, offset + n)
        return n
    case .file(let fd, let offset, let left):
        let want = Int(min(UInt64(capacity), left))
        guard want > 0 else { return 0 }
        let got = pread(fd, buffer, want, off_t(offset))
        guard got > 0 else {
            state.readFailure = got == 0 ? "file ended \(left) bytes early" : String(cString: strerror(errno))
            return ccurl_read_abort()
        }
        state.source = .file(fd, offset + UInt64(got), left - UInt64(got))
        return got
    }
}
