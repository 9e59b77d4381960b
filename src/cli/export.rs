//! `parvis export`: everything the instance holds, in open formats (JSON
//! Lines, CSV, the files in a readable tree), into a directory or a tar archive.

use super::CliError;
use crate::config::Config;
use crate::ops::export::{self, Progress, Scope};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis export --out /srv/exports/parvis-2026-11-27
  parvis export --out parvis-export.tar

The output is described by the README.txt written inside it.")]
pub struct Args {
    /// A new directory, or a tar archive when the name ends in .tar
    #[arg(long)]
    out: PathBuf,
}

/// A progress line on a terminal, nothing otherwise.
pub(super) fn progress_line() -> impl FnMut(Progress) {
    let terminal = std::io::stderr().is_terminal();
    move |p| {
        if !terminal {
            return;
        }
        let mut err = std::io::stderr();
        let _ = match p {
            Progress::Table(t) => write!(err, "\rexporting {t:<40}"),
            Progress::Files { done, total } => {
                write!(err, "\rexporting files {done}/{total}                   ")
            }
        };
        let _ = err.flush();
    }
}

pub fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let started = std::time::Instant::now();
    let summary = export::export(
        &config,
        crate::content::KINDS,
        &Scope::Instance,
        &args.out,
        progress_line(),
    )
    .map_err(|e| CliError::Runtime(e.to_string()))?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    println!(
        "exported to {}: {} rows, {} files, {:.1} MiB in {:.1} s",
        args.out.display(),
        summary.rows,
        summary.files,
        summary.bytes as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
