//! `parvis org …`: add and list organizations.

use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::organizations::OrgKind;
use crate::organizations::service::{self, NewOrganization};
use crate::service::{DisplayName, Slug};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an external organization
    #[command(after_help = "Examples:
  parvis org add --name \"Nordhavn Logistics\" --kind client
  parvis org add --name \"Atelier Verdier\" --kind supplier --slug verdier")]
    Add {
        /// Display name
        #[arg(long)]
        name: String,
        /// client, partner, supplier or other
        #[arg(long)]
        kind: String,
        /// Short identifier used in URLs and commands [default: derived from the name]
        #[arg(long)]
        slug: Option<String>,
    },
    /// List organizations
    #[command(after_help = "Examples:\n  parvis org list\n  parvis org list --json")]
    List {
        /// One JSON object per line instead of a table
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Add { name, kind, slug } => {
            let new = NewOrganization {
                name: DisplayName::parse(&name)?,
                kind: OrgKind::parse(&kind)?,
                slug: slug.as_deref().map(Slug::parse).transpose()?,
            };
            let state = open(config).await?;
            let org = service::create(&state.db, &actor, new).await?;
            println!(
                "Created {} ({}, slug {})",
                org.name,
                org.kind.as_str(),
                org.slug
            );
        }
        Command::List { json } => {
            let state = open(config).await?;
            let orgs = service::list(&state.db, &actor).await?;
            if json {
                for o in &orgs {
                    println!(
                        "{}",
                        serde_json::to_string(o).map_err(|e| CliError::Runtime(e.to_string()))?
                    );
                }
            } else {
                println!("{:<28} {:<32} {:<9} PEOPLE", "SLUG", "NAME", "KIND");
                for o in &orgs {
                    println!(
                        "{:<28} {:<32} {:<9} {}",
                        o.slug,
                        o.name,
                        o.kind.as_str(),
                        o.people
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
