//! `parvis backup`: one archive holding a consistent copy of the instance,
//! taken while the server runs.

use super::CliError;
use crate::config::Config;
use crate::ops::backup::{self, Progress};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis backup --out /srv/backups/parvis-2026-11-27.tar
  parvis --data-dir /var/lib/parvis backup --out parvis.tar
  parvis backup --out monday.tar --incremental-from sunday.tar")]
pub struct Args {
    /// The archive to write (a tar file; replaced only when whole)
    #[arg(long)]
    out: PathBuf,
    /// An earlier backup: the stored files it holds are not copied again
    /// (restore then needs it beside the new archive)
    #[arg(long, value_name = "ARCHIVE")]
    incremental_from: Option<PathBuf>,
}

pub fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let summary = backup::backup(&config, &args.out, args.incremental_from.as_deref(), |p| {
        if !terminal {
            return;
        }
        let mut err = std::io::stderr();
        let _ = match p {
            Progress::Database => write!(err, "\rcopying the database…"),
            Progress::Blobs { done, total } => {
                write!(err, "\rcopying files {done}/{total}        ")
            }
        };
        let _ = err.flush();
    })
    .map_err(|e| CliError::Runtime(e.to_string()))?;
    if terminal {
        eprintln!();
    }
    println!(
        "backup written to {}: {} files ({} stored files), {:.1} MiB in {:.1} s",
        args.out.display(),
        summary.files,
        summary.blobs,
        summary.bytes as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    if let Some(base) = &args.incremental_from {
        println!(
            "{} stored files already in {} (or the backups it builds on) were not copied again; \
             keep those archives beside this one",
            summary.blobs_referenced,
            base.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
