//! The `vpclint` binary: everything lives in the library so tests can drive it too.

fn main() -> std::process::ExitCode {
    vpclint::run(std::env::args_os())
}
