#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Moves a task's output from a pipe into a `RotatingLog` through a fixed-size buffer, on two threads: a reader
/// that keeps the pipe drained and a writer that does the (possibly slow) disk writes.
///
/// When the writer falls behind and the buffer stays full for `stallLimit`, the reader drops what it reads
/// (counted in `droppedBytes`) so the task never blocks on its output for longer than that.
final class LogPump: @unchecked Sendable {  // @unchecked: the ring is guarded by `condition`.
    private let fd: Int32
    let log: RotatingLog
    private let capacity: Int
    private let storage: UnsafeMutableRawPointer
    private var head = 0   // next byte to write out
    private var count = 0  // bytes buffered
    private var readerDone = false
    private var writerDone = false
    private let condition = NSCondition()
    private let stallLimit: Double
    private var dropped: UInt64 = 0
    /// The writer made no room within `stallLimit`: drop at once until it does.
    private var stalled = false
    private var total: UInt64 = 0
    private let finished = DispatchGroup()

    /// `fd` is the read end of the task's pipe; the pump owns and closes it.
    init(fd: Int32, log: RotatingLog, capacity: Int = 256 << 10, stallLimit: Double = 2) {
        self.fd = fd
        self.log = log
        self.capacity = capacity
        self.stallLimit = stallLimit
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    var droppedBytes: UInt64 { condition.withLock { dropped } }
    var totalBytes: UInt64 { condition.withLock { total } }

    func start() {
        finished.enter()
        finished.enter()
        let reader = Thread { [self] in readLoop(); finished.leave() }
        reader.name = "log-reader"
        reader.stackSize = 256 << 10
        reader.start()
        let writer = Thread { [self] in writeLoop(); finished.leave() }
        writer.name = "log-writer"
        writer.stackSize = 256 << 10
        writer.start()
    }

    /// Waits until the pipe is closed by every writer and everything read is on disk; false on timeout.
    func wait(timeout: Double) -> Bool {
        finished.wait(timeout: .now() + timeout) == .success
    }

    /// Stops reading (a process outside the group still holds the pipe): closes the read end.
    func abandon() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func readLoop() {
        let chunk = 64 << 10
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            enqueue(UnsafeRawBufferPointer(start: buffer, count: n))
        }
        close(fd)
        condition.withLock {
            readerDone = true
            condition.broadcast()
        }
    }

    private func enqueue(_ bytes: UnsafeRawBufferPointer) {
        condition.lock()
        defer { condition.unlock() }
        total += UInt64(bytes.count)
        var offset = 0
        let deadline = Date().addingTimeInterval(stallLimit)
        while offset < bytes.count {
            while count == capacity {
                if stalled || !condition.wait(until: deadline) {
                    stalled = true
                    dropped += UInt64(bytes.count - offset)
                    return
                }
            }
            let tail = (head + count) % capacity
            let contiguous = min(capacity - tail, capacity - count, bytes.count - offset)
            (storage + tail).copyMemory(from: bytes.baseAddress! + offset, byteCount: contiguous)
            count += contiguous
            offset += contiguous
            condition.broadcast()
        }
    }

    private func writeLoop() {
        while true {
            condition.lock()
            while count == 0 && !readerDone { condition.wait() }
            if count == 0 && readerDone {
                condition.unlock()
                break
            }
            let start = head
            let length = min(count, capacity - head)
            condition.unlock()
            // The reader never overwrites buffered bytes, so this span is stable while it is written.
            log.write(UnsafeRawBufferPointer(start: storage + start, count: length))
            condition.lock()
            head = (head + length) % capacity
            count -= length
            stalled = false
            condition.broadcast()
            condition.unlock()
        }
    }
}

extension LogPump {
    /// Waits (bounded) for rotated files still being compressed.
    func flushArchives() { log.flush() }
}
