//! `parvis reindex`: rebuilds the search index from SQLite. With the server
//! running, the server does it (it keeps answering from the old index, then
//! switches); otherwise this command does it and exits.

use super::CliError;
use crate::config::Config;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis reindex
  parvis --data-dir /var/lib/parvis reindex")]
pub struct Args {}

pub async fn run(config: Config, _args: Args) -> Result<ExitCode, CliError> {
    let data_dir = config.data_dir.clone();
    let state = super::open(config).await?;
    let started = Instant::now();
    let opened =
        tokio::task::spawn_blocking(move || crate::search::index::SearchIndex::open(&data_dir))
            .await
            .map_err(|e| CliError::Runtime(e.to_string()))?;
    match opened {
        Ok((index, _)) => {
            let entries =
                crate::search::indexer::rebuild_here(&state, std::sync::Arc::new(index)).await?;
            println!(
                "search index rebuilt: {entries} entries in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        Err(_) => {
            // The running server holds the index: it rebuilds while serving.
            crate::search::indexer::request_rebuild(&state.db).await?;
            println!("the running server is rebuilding the search index…");
            let deadline = started + Duration::from_secs(6 * 3600);
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let pending = crate::search::indexer::rebuilds_pending(&state.db).await?;
                if pending == 0 {
                    break;
                }
                if Instant::now() > deadline {
                    return Err(CliError::Runtime(
                        "the rebuild has not finished; it goes on in the server".into(),
                    ));
                }
            }
            println!(
                "search index rebuilt by the server in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
