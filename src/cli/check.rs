//! `parvis check`: runs every named check and prints a report. Exit code 1 when one fails.

use super::CliError;
use crate::config::Config;
use crate::ops::check::{self, Status};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis check
  parvis --data-dir /var/lib/parvis check --json")]
pub struct Args {
    /// Print the findings as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let findings = check::run(&config);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&findings)
                .map_err(|e| CliError::Runtime(e.to_string()))?
        );
    } else {
        for f in &findings {
            let mark = match f.status {
                Status::Ok => "ok  ",
                Status::Warn => "WARN",
                Status::Fail => "FAIL",
            };
            println!("[{mark}] {:<20} {}", f.check, f.detail);
        }
    }
    let failed = findings.iter().filter(|f| f.status == Status::Fail).count();
    if failed > 0 {
        if !args.json {
            println!("{failed} check(s) failed");
        }
        return Ok(ExitCode::from(1));
    }
    if !args.json {
        println!("all checks passed");
    }
    Ok(ExitCode::SUCCESS)
}
