//! Thin entry point: parse, set up logging, run, map the outcome to an exit code.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    parvis::cli::main()
}
