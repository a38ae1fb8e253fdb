#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// The files under a folder that runbook may read: those whose real path (every symbolic link
/// resolved) is inside the folder.
///
/// A link that stays inside is followed: a file link reads as the file it names, a folder link
/// lists that folder's files under the link's path. A link that leads out, or a path through
/// one, is refused and named, with where it points, so `docs/x.md -> /etc/passwd` never reaches
/// the site. The folder itself may be a link: it is resolved first. Each folder reached through
/// a link is listed once, and never a link back to a folder it is in, so loops end. Names that
/// start with `.` are left out. The walk is a loop over a stack, not a recursion.
public struct FolderListing: Sendable {
    /// A file to read.
    public struct File: Sendable, Equatable {
        /// Relative to the folder, through links as found: `runbooks/db.md`.
        public var path: String
        /// Where it is, every link resolved (inside the folder); the path itself when a link on
        /// the way leads nowhere (reading it then says so).
        public var realPath: String
        /// What the real path names: a regular file, or a FIFO, socket or device (which the
        /// reader refuses without opening).
        public var kind: FileKind
    }

    /// Something in the folder that is not listed, and why.
    public enum Refusal: Sendable, Equatable {
        /// A link, or a path through one, whose real path `target` is outside the folder.
        case outside(path: String, target: String)
        /// A link to a folder that is listed already: through another link, or one that holds
        /// the link. `target` is relative to the folder ("" for the folder itself).
        case repeated(path: String, target: String)
        /// A folder that could not be opened, with the system's reason.
        case unreadable(path: String, reason: String)
    }

    /// The folder's real path.
    public var root: String
    /// The files `including` accepted, in no particular order.
    public var files: [File]
    public var refusals: [Refusal]

    /// ``files`` sorted bytewise by path: what is built from them never depends on the order on disk.
    public var sortedFiles: [File] {
        files.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    /// Lists the files under `folder` whose relative path `including` accepts (folders are always
    /// walked); nil when `folder` is not a folder.
    public static func walk(_ folder: String, including: (String) -> Bool) -> FolderListing? {
        guard let root = realPath(folder), FolderListing.kind(root, followingLinks: true) == .directory else { return nil }
        var listing = FolderListing(root: root, files: [], refusals: [])
        var linkedFolders: Set<String> = []
        // Folders still to read, the next last: real path and relative path ("" for the root).
        var pending: [(real: String, path: String)] = [(root, "")]
        while let (dir, prefix) = pending.popLast() {
            var found: [(real: String, path: String)] = []
            // Pushed in reverse after the loop, so folders are read in name order and the
            // first of two links to one folder (by name) is the one followed.
            defer { pending += found.reversed() }
            let names: [String]
            switch entries(of: dir) {
            case .success(let listed): names = listed
            case .failure(let error):
                listing.refusals.append(.unreadable(path: prefix, reason: error.reason))
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let path = prefix.isEmpty ? name : prefix + "/" + name
                let full = dir + "/" + name
                let own = kind(full, followingLinks: false)
                guard own == .symbolicLink else {
                    if own == .directory {
                        found.append((full, path))
                    } else if including(path) {
                        listing.files.append(File(path: path, realPath: full, kind: own))
                    }
                    continue
                }
                guard let target = realPath(full) else {
                    // A link to nothing: reading it says so, if it is wanted.
                    if including(path) { listing.files.append(File(path: path, realPath: full, kind: .unknown)) }
                    continue
                }
                let targetKind = kind(target, followingLinks: true)
                guard target == root || target.hasPrefix(root == "/" ? "/" : root + "/") else {
                    if targetKind == .directory || including(path) { listing.refusals.append(.outside(path: path, target: target)) }
                    continue
                }
                if targetKind == .directory {
                    let inside = target == root ? "" : String(target.dropFirst(root == "/" ? 1 : root.count + 1))
                    if dir == target || dir.hasPrefix(target + "/") || !linkedFolders.insert(target).inserted {
                        listing.refusals.append(.repeated(path: path, target: inside))
                    } else {
                        found.append((target, path))
                    }
                } else if including(path) {
                    listing.files.append(File(path: path, realPath: target, kind: targetKind))
                }
            }
        }
        return listing
    }

    // MARK: - The system

    /// `path` with every link and `.`/`..` resolved, or nil when it leads nowhere.
    static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What `path` names (the link itself unless `followingLinks`), `.unknown` when nothing.
    static func kind(_ path: String, followingLinks: Bool) -> FileKind {
        var st = stat()
        let found = (try? SystemCall.retryingInterrupts(followingLinks ? "stat" : "lstat") {
            followingLinks ? stat(path, &st) : lstat(path, &st)
        }) != nil
        return found ? FileKind(mode: st.st_mode) : .unknown
    }

    /// The names in folder `dir`, without `.` and `..`.
    static func entries(of dir: String) -> Result<[String], SystemCallError> {
        guard let handle = opendir(dir) else { return .failure(SystemCallError(call: "opendir", code: errno)) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}
