//! `parvis group …`: create groups and manage their members.

use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::groups::service;
use crate::service::{DisplayName, Email, Slug};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a group
    #[command(after_help = "Example:\n  parvis group add --name \"Quality team\"")]
    Add {
        /// Display name
        #[arg(long)]
        name: String,
        /// Short identifier [default: derived from the name]
        #[arg(long)]
        slug: Option<String>,
    },
    /// List groups
    #[command(after_help = "Example:\n  parvis group list")]
    List,
    /// Add a person to a group
    #[command(
        after_help = "Example:\n  parvis group add-member --group quality-team --user amina@lumen.example"
    )]
    AddMember {
        #[arg(long)]
        group: String,
        /// The person's e-mail
        #[arg(long)]
        user: String,
    },
    /// Remove a person from a group
    #[command(
        after_help = "Example:\n  parvis group remove-member --group quality-team --user amina@lumen.example"
    )]
    RemoveMember {
        #[arg(long)]
        group: String,
        /// The person's e-mail
        #[arg(long)]
        user: String,
    },
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Add { name, slug } => {
            let name = DisplayName::parse(&name)?;
            let slug = slug.as_deref().map(Slug::parse).transpose()?;
            let state = open(config).await?;
            let g = service::create(&state.db, &actor, name, slug).await?;
            println!("Created group {} (slug {})", g.name, g.slug);
        }
        Command::List => {
            let state = open(config).await?;
            println!("{:<28} {:<32} MEMBERS", "SLUG", "NAME");
            for g in service::list(&state.db, &actor).await? {
                println!("{:<28} {:<32} {}", g.slug, g.name, g.members);
            }
        }
        Command::AddMember { group, user } => {
            let (g, u) = (Slug::parse(&group)?, Email::parse(&user)?);
            let state = open(config).await?;
            let changed = service::set_member(&state.db, &actor, &g, &u, true).await?;
            println!(
                "{}",
                if changed {
                    "Added."
                } else {
                    "Already a member."
                }
            );
        }
        Command::RemoveMember { group, user } => {
            let (g, u) = (Slug::parse(&group)?, Email::parse(&user)?);
            let state = open(config).await?;
            let changed = service::set_member(&state.db, &actor, &g, &u, false).await?;
            println!(
                "{}",
                if changed {
                    "Removed."
                } else {
                    "Was not a member."
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
