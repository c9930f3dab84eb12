/// The best candidate of a group by (score, lowest tie key), kept per block of 32 so that a placement,
/// which changes few scores, costs a few block rescans instead of a scan over every agent.
struct BlockArgmax {
    static let blockSize = 32
    /// Best position per block, -1 when every candidate in it is dropped.
    private var blockBest: [Int]
    private var dirty: [Int] = []
    private var isDirty: [Bool]

    init(scores: [Double], ties: [UInt64]) {
        let blocks = (scores.count + Self.blockSize - 1) / Self.blockSize
        blockBest = [Int](repeating: -1, count: blocks)
        isDirty = [Bool](repeating: false, count: blocks)
        for block in 0..<blocks { rebuild(block, scores: scores, ties: ties) }
    }

    mutating func invalidate(_ position: Int) {
        let block = position / Self.blockSize
        if !isDirty[block] {
            isDirty[block] = true
            dirty.append(block)
        }
    }

    /// The best live position, or -1.
    mutating func best(scores: [Double], ties: [UInt64]) -> Int {
        for block in dirty {
            rebuild(block, scores: scores, ties: ties)
            isDirty[block] = false
        }
        dirty.removeAll(keepingCapacity: true)
        var best = -1
        for candidate in blockBest where candidate >= 0 {
            if best < 0 || Self.better(candidate, than: best, scores: scores, ties: ties) { best = candidate }
        }
        return best
    }

    @inline(__always)
    static func better(_ lhs: Int, than rhs: Int, scores: [Double], ties: [UInt64]) -> Bool {
        scores[lhs] > scores[rhs] || (scores[lhs] == scores[rhs] && ties[lhs] < ties[rhs])
    }

    private mutating func rebuild(_ block: Int, scores: [Double], ties: [UInt64]) {
        var best = -1
        let end = min(scores.count, (block + 1) * Self.blockSize)
        for position in (block * Self.blockSize)..<end where scores[position] > -Double.infinity {
            if best < 0 || Self.better(position, than: best, scores: scores, ties: ties) { best = position }
        }
        blockBest[block] = best
    }
}
