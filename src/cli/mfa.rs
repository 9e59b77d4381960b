//! `parvis mfa …`: who must use a second factor, and help for someone who lost theirs.

use super::{CliError, open};
use crate::access::Actor;
use crate::auth::mfa::{self, Policy};
use crate::config::Config;
use crate::organizations::OrgKind;
use crate::service::Email;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show or set the instance-wide policy (portals can also require it: `parvis portal set --require-mfa true`)
    #[command(after_help = "Examples:
  parvis mfa policy                                   Show the policy
  parvis mfa policy --admins true --kinds client,supplier")]
    Policy {
        /// Administrators must use a second factor: true or false
        #[arg(long)]
        admins: Option<bool>,
        /// Kinds of organizations whose members must use one, comma-separated (empty for none)
        #[arg(long, value_delimiter = ',')]
        kinds: Option<Vec<String>>,
    },
    /// Remove a person's authenticator app, passkeys and recovery codes (they lost their device)
    #[command(after_help = "Example:\n  parvis mfa reset --email ana@example.com")]
    Reset {
        #[arg(long)]
        email: String,
    },
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Policy { admins, kinds } => {
            let kinds = kinds
                .map(|ks| {
                    ks.iter()
                        .filter(|k| !k.trim().is_empty())
                        .map(|k| OrgKind::parse(k))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?;
            let state = open(config).await?;
            let current = state.portals.current().mfa_policy.clone();
            if admins.is_some() || kinds.is_some() {
                let policy = Policy {
                    admins: admins.unwrap_or(current.admins),
                    kinds: kinds.unwrap_or(current.kinds),
                };
                mfa::policy::set(&state.db, &state.portals, &actor, policy).await?;
            }
            let p = state.portals.current().mfa_policy.clone();
            let kinds: Vec<&str> = p.kinds.iter().map(|k| k.as_str()).collect();
            println!(
                "Administrators must use a second factor: {}",
                if p.admins { "yes" } else { "no" }
            );
            println!(
                "Organization kinds that must: {}",
                if kinds.is_empty() {
                    "none".to_string()
                } else {
                    kinds.join(", ")
                }
            );
            for portal in state
                .portals
                .current()
                .all()
                .iter()
                .filter(|p| p.require_mfa)
            {
                println!("Portal {} requires it of everyone.", portal.slug);
            }
        }
        Command::Reset { email } => {
            let email = Email::parse(&email)?;
            let state = open(config).await?;
            let person = crate::people::service::by_email_admin(&state.db, &actor, &email).await?;
            mfa::reset(&state.db, &actor, person.id).await?;
            println!(
                "Second factors of {email} removed; they sign in with their password and set up a new one."
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
