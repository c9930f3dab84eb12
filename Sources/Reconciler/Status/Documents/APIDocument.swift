import Foundation

/// Decoding of the API's JSON answers (dates in `APIDate` form), for `converge` and tests.
public enum APIDocument {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = APIDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return date
        }
        return try decoder.decode(type, from: data)
    }
}

/// `{"error": "..."}`: what every refused or failed API request answers.
public struct ErrorDocument: Decodable, Sendable, Equatable {
    public var error: String

    public init(error: String) { self.error = error }

    public var json: APIJSON { .object([("error", .string(error))]) }
}
