import Foundation
import Scheduler

/// Bodies of the write endpoints, decoded and checked.
enum OverrideRequest {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// `POST .../scale`: `{"instances": N, "for": "2h", "reason": "..."}`.
    struct Scale: Decodable {
        var instances: Int
        var `for`: String?
        var reason: String?
    }

    /// `POST .../pause` and `.../bounce`: `{"for": "2h", "reason": "..."}`, all optional.
    struct Timed: Decodable {
        var `for`: String?
        var reason: String?
    }

    /// `POST .../trigger`: `{"args": [...], "env": {...}}`, all optional.
    struct Trigger: Decodable {
        var args: [String]?
        var env: [String: String]?
    }

    /// The largest instance count an override may ask for.
    static let maximumInstances = 10_000
    static let maximumReasonLength = 500

    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], emptyAs empty: T? = nil) throws -> T {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }), let empty { return empty }
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw Invalid(description: "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw Invalid(description: "wrong type for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\"")
        } catch {
            throw Invalid(description: "the body is not valid JSON for this endpoint")
        }
    }

    static func expiry(_ text: String?, now: Date) throws -> Date? {
        guard let text else { return nil }
        do {
            return now.addingTimeInterval(try OverrideDuration.parse(text))
        } catch {
            throw Invalid(description: "\"for\": \(error.description)")
        }
    }

    static func reason(_ text: String?, default fallback: String) throws -> String {
        let reason = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard reason.count <= maximumReasonLength else {
            throw Invalid(description: "\"reason\" is longer than \(maximumReasonLength) characters")
        }
        return reason.isEmpty ? fallback : reason
    }

    static func scale(service: String, body: [UInt8], now: Date) throws -> Override {
        let request = try decode(Scale.self, from: body)
        guard (0...maximumInstances).contains(request.instances) else {
            throw Invalid(description: "\"instances\" must be between 0 and \(maximumInstances)")
        }
        return Override(service: service, kind: .scale, value: request.instances,
                        reason: try reason(request.reason, default: "scaled through the API"),
                        createdAt: now, expiresAt: try expiry(request.for, now: now))
    }

    static func timed(_ kind: Override.Kind, service: String, body: [UInt8], now: Date) throws -> Override {
        let request = try decode(Timed.self, from: body, emptyAs: Timed())
        return Override(service: service, kind: kind, reason: try reason(request.reason, default: "\(kind.rawValue) through the API"),
                        createdAt: now, expiresAt: try expiry(request.for, now: now))
    }
}
