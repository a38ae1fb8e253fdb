import CCurl
import Foundation

/// The real `HTTPTransport`: one libcurl easy handle, reused so connections stay alive between calls.
///
/// This is the only Swift file that imports `CCurl`; no C pointer leaves it. TLS peer and host
/// verification are always on; proxies come from the environment exactly as curl reads them
/// (`http_proxy`, `https_proxy`, `no_proxy`, ...). Calls on one transport are serialised by a lock.
///
/// Replies are not trusted: the body is checked as it arrives, in curl's header and write
/// callbacks, against the request's `maxReplyBytes` (or, for a download, its declared
/// `Content-Length`) and the transfer is aborted at once when it passes it; a body shorter than
/// it declared is a `truncatedReply`; every exchange has a total or an idle timeout.
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

        let state = TransferState(downloadPath: request.downloadPath, maxReplyBytes: request.maxReplyBytes,
                                  expectsBody: request.method.uppercased() != "HEAD")
        switch request.body {
        case .empty: break
        case .bytes(let data): state.source = .memory(data, 0)
        case .file(let path, let offset, let length):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
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

        // Never unbounded: without a total timeout, an idle timeout stands in.
        let idle = request.idleTimeout ?? (request.timeout == nil ? HTTPRequest.defaultIdleTimeout : nil)
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
            set(ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.map(Self.milliseconds) ?? 0))
            if let idle {
                set(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1))
                set(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(idle.rounded(.up)))))
            }
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
            if code == CURLE_WRITE_ERROR, let failure = state.failure {
                throw failure.error(endpoint: endpoint)
            }
            throw Self.error(code, handle: handle, request: request, idleTimeout: idle, endpoint: endpoint, detail: detail,
                             readFailure: state.readFailure)
        }

        var status = 0
        var timing = HTTPTiming()
        var d = 0.0
        if ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK { status = 0 }
        if ccurl_getinfo_double(handle, CURLINFO_NAMELOOKUP_TIME, &d) == CURLE_OK { timing.nameLookup = d }
        if ccurl_getinfo_double(handle, CURLINFO_CONNECT_TIME, &d) == CURLE_OK { timing.connect = d }
        if ccurl_getinfo_double(handle, CURLINFO_STARTTRANSFER_TIME, &d) == CURLE_OK { timing.firstByte = d }
        if ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &d) == CURLE_OK { timing.total = d }
        // Curl stops at a declared length, but a chunked body may still end short of the length it also declared.
        if let failure = state.finish() {
            throw failure.error(endpoint: endpoint)
        }
        if state.downloadFD >= 0 && fsync(state.downloadFD) != 0 {
            throw HTTPTransportError(kind: .downloadUnwritable, endpoint: endpoint, detail: "\(request.downloadPath ?? ""): \(String(cString: strerror(errno)))")
        }
        var response = HTTPResponse(status: status, headers: state.headers, body: state.body.take(), timing: timing)
        response.downloadedBytes = state.downloaded
        return response
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    private static func error(_ code: CURLcode, handle: UnsafeMutableRawPointer, request: HTTPRequest, idleTimeout: Double?,
                              endpoint: String, detail: String, readFailure: String?) -> HTTPTransportError {
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
                                          timeout: min(request.connectTimeout, request.timeout ?? request.connectTimeout))
            }
            // The idle limit tripped, unless the total time is what ran out.
            var total = 0.0
            _ = ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &total)
            if let idleTimeout, request.timeout.map({ total < $0 - 0.05 }) ?? true {
                return HTTPTransportError(kind: .stalled, endpoint: endpoint, detail: detail, timeout: max(1, idleTimeout.rounded(.up)))
            }
            return HTTPTransportError(kind: .timedOut, endpoint: endpoint, detail: detail, timeout: request.timeout)
        case CURLE_PARTIAL_FILE:
            return HTTPTransportError(kind: .truncatedReply, endpoint: endpoint, detail: detail)
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

    /// Why a callback stopped the transfer.
    enum Failure {
        case tooLarge(limit: UInt64, detail: String)
        case longerThanDeclared(String)
        case truncated(String)
        case lengthUndeclared
        case unwritable(String)

        func error(endpoint: String) -> HTTPTransportError {
            switch self {
            case .tooLarge(let limit, let detail):
                return HTTPTransportError(kind: .replyTooLarge, endpoint: endpoint, detail: detail, limit: limit)
            case .longerThanDeclared(let detail):
                return HTTPTransportError(kind: .longerThanDeclared, endpoint: endpoint, detail: detail)
            case .truncated(let detail): return HTTPTransportError(kind: .truncatedReply, endpoint: endpoint, detail: detail)
            case .lengthUndeclared:
                return HTTPTransportError(kind: .lengthUndeclared, endpoint: endpoint, detail: "a 2xx reply to a download")
            case .unwritable(let detail): return HTTPTransportError(kind: .downloadUnwritable, endpoint: endpoint, detail: detail)
            }
        }
    }

    /// Header bytes accepted per response: far above what any service sends.
    static let maxHeaderBytes = 256 << 10

    var source: Source = .none
    let body: ReplyBuffer
    var headers: [(name: String, value: String)] = []
    var readFailure: String?
    /// The first reason a callback refused data; set before it returns a short count.
    var failure: Failure?
    /// Where a 2xx body goes instead of `body`, its descriptor once opened, and what was written.
    let downloadPath: String?
    var downloadFD: Int32 = -1
    var downloaded: UInt64 = 0
    /// False for HEAD: a declared length then describes a body that never comes.
    let expectsBody: Bool
    /// The response being received: status, declared length, header bytes, and whether its
    /// body goes to the download file (known once its headers are complete).
    var status = 0
    var declaredLength: UInt64?
    var headerBytes = 0
    var toFile = false

    init(downloadPath: String?, maxReplyBytes: UInt64, expectsBody: Bool) {
        self.downloadPath = downloadPath
        self.body = ReplyBuffer(limit: maxReplyBytes)
        self.expectsBody = expectsBody
    }

    func close() {
        if case .file(let fd, _, _) = source { _ = Foundation.close(fd) }
        source = .none
        if downloadFD >= 0 { _ = Foundation.close(downloadFD) }
        downloadFD = -1
    }

    /// Records why the transfer stops (the first reason wins); returns false for the callback to pass on.
    func fail(_ f: Failure) -> Bool {
        if failure == nil { failure = f }
        return false
    }

    /// A status line: a new response begins (a 100 Continue comes before the final one).
    func beginResponse(_ line: String) {
        headers = []
        declaredLength = nil
        let parts = line.split(separator: " ")
        status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    }

    /// The blank line after a final response's headers: decides where its body goes and refuses,
    /// before any of it arrives, a body declared larger than allowed. False (with `failure`) to abort.
    func headersComplete() -> Bool {
        guard status >= 200, expectsBody else { return true }
        if let path = downloadPath, (200..<300).contains(status) {
            guard let length = declaredLength else { return fail(.lengthUndeclared) }
            toFile = true
            return openDownload(path, length: length)
        }
        if let length = declaredLength {
            guard length <= body.limit else {
                return fail(.tooLarge(limit: body.limit, detail: "it declares a Content-Length of \(length) bytes"))
            }
            _ = body.reserve(Int(length))
        }
        return true
    }

    /// Opens (creating or truncating) the download file, if the disk has room for `length` bytes.
    func openDownload(_ path: String, length: UInt64) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return fail(.unwritable("\(path): \(String(cString: strerror(errno)))")) }
        downloadFD = fd
        var fs = statvfs()
        if fstatvfs(fd, &fs) == 0 {
            let free = UInt64(fs.f_bavail) &* UInt64(fs.f_frsize)
            if free < length {
                return fail(.unwritable("\(path): the reply is \(HTTPTransportError.bytes(length)) but its file system has \(HTTPTransportError.bytes(free)) free"))
            }
        }
        return true
    }

    /// Takes `n` body bytes at `bytes`; false (with `failure`) to abort the transfer.
    func receive(_ bytes: UnsafeRawPointer, _ n: Int) -> Bool {
        let received = (toFile ? downloaded : UInt64(body.count)) + UInt64(n)
        if let length = declaredLength, received > length {
            return fail(.longerThanDeclared("more bytes than its Content-Length of \(length)"))
        }
        guard toFile else {
            guard body.append(bytes, n) else {
                return fail(.tooLarge(limit: body.limit, detail: "more than \(body.limit) bytes arrived"))
            }
            return true
        }
        var done = 0
        while done < n {
            let w = write(downloadFD, bytes + done, n - done)
            if w < 0 && errno == EINTR { continue }
            guard w > 0 else { return fail(.unwritable("\(downloadPath ?? ""): \(String(cString: strerror(errno)))")) }
            done += w
        }
        downloaded += UInt64(n)
        return true
    }

    /// After a transfer curl calls complete: a body that fell short of its declared length.
    func finish() -> Failure? {
        guard expectsBody, status >= 200, status != 204, status != 304, let length = declaredLength else { return nil }
        let got = toFile ? downloaded : UInt64(body.count)
        guard got == length else { return .truncated("\(got) of the \(length) bytes its Content-Length declares") }
        return nil
    }
}

/// A reply body in one malloc'd block that never grows past `limit`, handed over as `Data` without a copy.
private final class ReplyBuffer {
    let limit: UInt64
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0
    private(set) var count = 0

    init(limit: UInt64) { self.limit = limit }

    deinit { free(base) }

    /// Grows to hold at least `wanted` bytes (never more than `limit`); false if memory ran out.
    func reserve(_ wanted: Int) -> Bool {
        guard wanted > capacity else { return true }
        let ceiling = Int(clamping: limit)
        let size = min(ceiling, max(wanted, capacity * 2, 64 << 10))
        guard let grown = realloc(base, size) else { return false }
        base = grown
        capacity = size
        return true
    }

    /// Appends `n` bytes; false if that would pass the limit.
    func append(_ bytes: UnsafeRawPointer, _ n: Int) -> Bool {
        guard UInt64(count) + UInt64(n) <= limit, reserve(count + n), let base else { return n == 0 }
        (base + count).copyMemory(from: bytes, byteCount: n)
        count += n
        return true
    }

    /// The bytes as `Data`, which then owns the block; the buffer is left empty.
    func take() -> Data {
        guard let base, count > 0 else { return Data() }
        self.base = nil
        defer { capacity = 0; count = 0 }
        return Data(bytesNoCopy: base, count: count, deallocator: .free)
    }
}

private func curlWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    // A short count makes curl abort with CURLE_WRITE_ERROR; `state.failure` says why.
    return state.receive(UnsafeRawPointer(data), n) ? n : 0
}

private func curlHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    state.headerBytes += n
    if state.headerBytes > TransferState.maxHeaderBytes {
        _ = state.fail(.tooLarge(limit: UInt64(TransferState.maxHeaderBytes), detail: "its headers alone are larger"))
        return 0
    }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        state.beginResponse(line)
    } else if line.isEmpty {
        return state.headersComplete() ? n : 0
    } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        state.headers.append((name: name, value: value))
        if name.caseInsensitiveCompare("Content-Length") == .orderedSame { state.declaredLength = UInt64(value) }
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
