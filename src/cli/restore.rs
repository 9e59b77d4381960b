//! `parvis restore`: an instance from a backup archive, verified whole
//! before anything is written, then its search index rebuilt.

use super::CliError;
use crate::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis restore --from parvis-2026-11-27.tar --data-dir /var/lib/parvis-restored
  parvis restore --from parvis.tar --data-dir ./parvis-data --force")]
pub struct Args {
    /// The archive `parvis backup` wrote
    #[arg(long)]
    from: PathBuf,
    /// Replace what a non-empty data directory holds
    #[arg(long)]
    force: bool,
}

pub async fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let started = std::time::Instant::now();
    if args.force && config.data_dir.join("index").is_dir() {
        // A running server holds its index: never restore under it.
        let dir = config.data_dir.clone();
        let opened = tokio::task::spawn_blocking(move || {
            crate::search::index::SearchIndex::open(&dir).map(|_| ())
        })
        .await
        .map_err(|e| CliError::Runtime(e.to_string()))?;
        if let Err(crate::search::index::IndexError::Tantivy(tantivy::TantivyError::LockFailure(
            ..,
        ))) = opened
        {
            return Err(CliError::Runtime(format!(
                "a server is running on {}: stop it before restoring over it",
                config.data_dir.display()
            )));
        }
    }
    let (from, dir, force) = (args.from.clone(), config.data_dir.clone(), args.force);
    let summary =
        tokio::task::spawn_blocking(move || crate::ops::restore::restore(&from, &dir, force))
            .await
            .map_err(|e| CliError::Runtime(e.to_string()))?
            .map_err(|e| CliError::Runtime(e.to_string()))?;
    println!(
        "restored {} files ({:.1} MiB) from {} into {} in {:.1} s, every checksum verified",
        summary.files,
        summary.bytes as f64 / 1_048_576.0,
        args.from.display(),
        config.data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    super::reindex::run(config, super::reindex::Args {}).await
}
