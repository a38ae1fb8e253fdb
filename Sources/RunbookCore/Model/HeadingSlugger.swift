/// Gives headings the ids GitHub gives them (the github-slugger 2.0 algorithm).
///
/// Lowercase; remove every character that is not alphabetic, a mark, a decimal digit, a
/// connector punctuation (`_`), a hyphen-minus or an ASCII space (as of Unicode 13); spaces
/// become `-`. A slug seen before gets
/// `-1`, `-2`, ... in the order the headings appear, skipping any suffix already taken.
public struct HeadingSlugger: Sendable {
    private var occurrences: [String: Int] = [:]

    public init() {}

    /// Whether `id` has already been handed out or reserved.
    public func isTaken(_ id: String) -> Bool { occurrences[id] != nil }

    /// Marks an explicit `{#id}` as used so a later generated slug never collides with it.
    public mutating func reserve(_ id: String) {
        if occurrences[id] == nil { occurrences[id] = 0 }
    }

    /// The unique slug for `text`, recording it.
    public mutating func slug(_ text: String) -> String {
        let original = Self.baseSlug(text)
        var result = original
        while occurrences[result] != nil {
            let next = (occurrences[original] ?? 0) + 1
            occurrences[original] = next
            result = "\(original)-\(next)"
        }
        occurrences[result] = 0
        return result
    }

    /// The slug of `text` without duplicate handling.
    public static func baseSlug(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar == " " {
                out.append("-")
            } else if scalar == "-" || keeps(scalar) {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func keeps(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        // github-slugger 2.0 was generated from Unicode 13: later assignments count as unassigned.
        guard let age = p.age, age.major < 13 || (age.major == 13 && age.minor == 0) else { return false }
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .decimalNumber, .connectorPunctuation, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }
}
