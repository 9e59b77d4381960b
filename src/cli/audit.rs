//! `parvis audit verify`: walks the hash chain; exit code 1 if it is broken.

use super::CliError;
use crate::config::Config;
use rusqlite::{Connection, OpenFlags};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Verify that no audit event was edited, inserted or deleted
    #[command(after_help = "Example:\n  parvis audit verify")]
    Verify,
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    match cmd {
        Command::Verify => {
            let path = config.data_dir.join("parvis.db");
            if !path.exists() {
                return Err(CliError::Runtime(format!(
                    "no database at {}",
                    path.display()
                )));
            }
            let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| CliError::Runtime(format!("cannot open {}: {e}", path.display())))?;
            let v = crate::audit::verify(&conn).map_err(|e| CliError::Runtime(e.to_string()))?;
            match v.problem {
                None => {
                    println!("audit chain intact: {} event(s) verified", v.rows);
                    Ok(ExitCode::SUCCESS)
                }
                Some((id, why)) => {
                    println!(
                        "audit chain BROKEN at event {id}: {why} ({} event(s) verified before it)",
                        v.rows
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
