import Foundation
import Testing
@testable import Mesos

/// Decodes `json` as `T` with the master's decoder.
func decodeWire<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try MesosJSON.decode(type, from: Data(json.utf8))
}

/// The JSON object a value encodes to, for structural comparison.
func encodedObject<T: Encodable>(_ value: T) throws -> NSObject {
    let data = try MesosJSON.encode(value)
    return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as! NSObject
}

func jsonObject(_ json: String) throws -> NSObject {
    try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) as! NSObject
}

/// Decodes `json`, re-encodes it, and expects the same JSON structure back, and equal values.
@discardableResult
func expectRoundTrip<T: Codable & Equatable>(
    _ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> T {
    let value = try decodeWire(type, json)
    let encoded = try encodedObject(value)
    let expected = try jsonObject(json)
    let text = String(decoding: try MesosJSON.encode(value), as: UTF8.self)
    #expect(encoded == expected, "re-encoded \(text)", sourceLocation: sourceLocation)
    let again = try MesosJSON.decode(type, from: try MesosJSON.encode(value))
    #expect(again == value, sourceLocation: sourceLocation)
    return value
}
