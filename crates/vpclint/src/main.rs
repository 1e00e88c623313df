//! The `vpclint` binary: everything lives in the library so tests can drive it too.

/// mimalloc instead of the system allocator: vpclint builds and frees millions of small
/// syntax-tree and value nodes on several threads, where glibc's malloc spends much of its
/// time in arena locking, `mprotect` and consolidation (docs/performance.md has the figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vpclint::run(std::env::args_os())
}
