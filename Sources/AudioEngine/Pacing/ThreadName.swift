import Foundation

/// Gives the calling thread its kernel name (what top, perf and /proc/self/task/*/comm show).
///
/// Foundation's `Thread.name` does not reach the kernel on Linux, and `pthread_setname_np` is
/// not visible from Swift's Glibc module, so the name is written to /proc/thread-self/comm.
/// Names longer than 15 bytes are cut, as the kernel would. Failure is harmless and ignored.
public enum ThreadName {
    public static func setCurrent(_ name: String) {
        #if os(Linux)
            let descriptor = open("/proc/thread-self/comm", O_WRONLY)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            let bytes = Array(name.utf8.prefix(15))
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        #endif
    }
}
