/// Tells whether decoding a type reads any field: one that does not is an operation's empty
/// output (CreateLogStream), the only kind of answer that may come as an empty body.
///
/// Decoding runs against a decoder that holds nothing and notes every field asked for.
enum ReplyShapeProbe {
    static func readsFields<T: Decodable>(_ type: T.Type) -> Bool {
        let decoder = ProbeDecoder()
        _ = try? T(from: decoder)
        return decoder.touched
    }
}

/// Thrown to stop decoding at the first field asked for.
private struct FieldRequested: Error {}

private final class ProbeDecoder: Decoder {
    var touched = false
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ProbeContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        touched = true
        throw FieldRequested()
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        touched = true
        throw FieldRequested()
    }
}

private struct ProbeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        decoder.touched = true
        return []
    }

    func contains(_ key: Key) -> Bool {
        decoder.touched = true
        return false
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.touched = true
        return true
    }

    private func requested() -> FieldRequested {
        decoder.touched = true
        return FieldRequested()
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { throw requested() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { throw requested() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw requested() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw requested() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { throw requested() }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw requested() }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw requested() }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { throw requested() }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { throw requested() }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw requested() }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw requested() }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw requested() }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { throw requested() }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { throw requested() }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { throw requested() }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> { throw requested() }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw requested() }
    func superDecoder() throws -> any Decoder { throw requested() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw requested() }
}
