#if canImport(Glibc)
import Glibc
#endif

/// Memory policy of the long-running commands (`run`, `dev`).
///
/// glibc gives each thread that allocates its own arena and keeps freed memory in them; a controller's
/// sync allocates a burst (every manifest of a revision) on whichever threads the tasks ran on. Two
/// arenas and a trim after each sync keep the resident size near the live data (docs/benchmarks.md,
/// Controller: 10,000 services). `mallopt` and `malloc_trim` are not in the Glibc module's headers, so
/// they are looked up at run time; elsewhere nothing happens.
enum ProcessMemory {
    /// glibc's `M_ARENA_MAX` (malloc.h).
    private static let arenaMaxOption: Int32 = -8

    static func limitArenas() {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(arenaMaxOption, 2)
        #endif
    }

    static func releaseFreed() {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
        #endif
    }
}
