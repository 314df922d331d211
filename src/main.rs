//! The `kassa` binary: parse the command line and hand over to `kassa::cli`.
use std::process::ExitCode;

fn main() -> ExitCode {
    kassa::cli::main()
}
