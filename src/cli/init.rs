//! `parvis init`: prepare a data directory. Running it twice changes nothing.

use super::{CliError, open};
use crate::config::Config;
use crate::ops::init::{AdminSeed, InitReport};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis init
  parvis --data-dir /var/lib/parvis init --organization \"Lumen Industries\"
  PARVIS_ADMIN_EMAIL=it@example.com PARVIS_ADMIN_PASSWORD=... parvis init

Without PARVIS_ADMIN_PASSWORD a one-time password is printed; it must be
changed at the first sign-in.")]
pub struct Args {
    /// Name of the host organization (your company)
    #[arg(long, value_name = "NAME", default_value = "Parvis")]
    pub organization: String,
    /// Also seed the demo company
    #[arg(long)]
    pub demo: bool,
}

pub async fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let state = open(config).await?;
    let org = if args.demo && args.organization == "Parvis" {
        crate::demo::HOST_NAME.to_string()
    } else {
        args.organization
    };
    let report = crate::ops::init::run(&state, &org, AdminSeed::from_env()).await?;
    if state.config.tls.mode == crate::config::TlsMode::SelfSigned {
        crate::tls::ensure_self_signed(&state.config, &state.portals.current().hostnames())
            .map_err(|e| CliError::Runtime(e.to_string()))?;
    }
    let demo = if args.demo {
        crate::demo::seed(&state).await?
    } else {
        None
    };
    if report.changed() || demo.is_some() {
        println!("Initialized {}", state.config.data_dir.display());
        print_admin(&report);
        if let Some(pw) = demo {
            println!("Demo people share the password: {}", pw.expose());
        }
    } else {
        println!(
            "{} is already initialized; nothing changed.",
            state.config.data_dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Tells how to sign in as the administrator just created, if any.
pub fn print_admin(report: &InitReport) {
    let Some(admin) = &report.admin else { return };
    println!("  First administrator: {}", admin.email);
    match &admin.one_time_password {
        Some(pw) => {
            println!("  One-time password:   {}", pw.expose());
            println!("  (shown once; you will choose your own password at first sign-in)");
        }
        None => println!("  Password: the one given in PARVIS_ADMIN_PASSWORD"),
    }
}
