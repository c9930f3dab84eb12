import Manifests
import Reconciler

extension PlanReport {
    /// The output of `changes`, rendered in order-preserving chunks on all cores: `render` is called
    /// for each change with its index, and the chunks, written one after the other, are the whole.
    static func renderChunks(
        _ changes: [WorkloadChange], bytesPerField: Int,
        _ render: @escaping @Sendable (WorkloadChange, Int, inout OutputBytes) -> Void
    ) -> [OutputChunk] {
        guard !changes.isEmpty else { return [] }
        // Enough chunks to balance two to a few cores; one chunk for a small plan.
        let chunkCount = max(1, min(changes.count / 256, 32))
        let size = (changes.count + chunkCount - 1) / chunkCount
        let ranges = stride(from: 0, to: changes.count, by: size).map { $0..<min($0 + size, changes.count) }
        return concurrentMap(ranges, minimumCount: 2) { range in
            // A create from a manifest lists about 40 fields (counting them would build them).
            var out = OutputBytes(capacity: range.reduce(0) { total, i in
                total + 96 + bytesPerField * (changes[i].createListing != nil ? 40 : changes[i].fields.count)
            })
            for i in range { render(changes[i], i, &out) }
            return out.finish()
        }
    }
}

/// A command's output: byte chunks written one after the other.
struct OutputChunks: Sendable {
    var chunks: [OutputChunk] = []

    mutating func append(_ bytes: consuming OutputBytes) { chunks.append(bytes.finish()) }

    mutating func append(contentsOf chunks: [OutputChunk]) { self.chunks.append(contentsOf: chunks) }
}
