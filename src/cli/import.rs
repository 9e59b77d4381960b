//! `parvis import`: a new instance from a `parvis export`, checked whole
//! before it is committed, then its search index built.

use super::CliError;
use crate::config::Config;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis import --from /srv/exports/parvis-2026-11-27 --data-dir /var/lib/parvis
  parvis import --from parvis-export.tar --data-dir ./parvis-data

Passwords are not in an export: every active person is sent an invitation
to choose a new one when the server starts; the links are also written to
<DATA_DIR>/invitations.csv (for the administrator, readable by them only).")]
pub struct Args {
    /// The directory or .tar archive `parvis export` wrote
    #[arg(long)]
    from: PathBuf,
}

pub async fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let started = std::time::Instant::now();
    let (cfg, from) = (config.clone(), args.from.clone());
    let summary = tokio::task::spawn_blocking(move || {
        crate::ops::import::import(&cfg, crate::content::KINDS, &from)
    })
    .await
    .map_err(|e| CliError::Runtime(e.to_string()))?
    .map_err(|e| CliError::Runtime(e.to_string()))?;
    let links = config.data_dir.join("invitations.csv");
    let write_links = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(crate::util::private_file(&links)?);
        writeln!(f, "email,link")?;
        for i in &summary.invitations {
            writeln!(f, "{},{}", i.email, i.link)?;
        }
        f.flush()
    };
    write_links().map_err(|e| CliError::Runtime(format!("{}: {e}", links.display())))?;
    println!(
        "imported {} rows and {} files ({:.1} MiB) from {} into {} in {:.1} s, every checksum verified",
        summary.rows,
        summary.files,
        summary.bytes as f64 / 1_048_576.0,
        args.from.display(),
        config.data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "{} people will be invited to choose a new password when the server starts (links in {})",
        summary.invitations.len(),
        links.display()
    );
    super::reindex::run(config, super::reindex::Args {}).await
}
