//! `parvis space …`: create spaces, list them, grant and revoke memberships.

use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::service::{DisplayName, Email, Slug};
use crate::spaces::service::{self, MemberRef, NewSpace};
use crate::spaces::{Role, Visibility};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a space
    #[command(after_help = "Examples:
  parvis space add --name \"Nordhavn — Warehouse automation\" --slug nordhavn-automation
  parvis space add --name \"Company news\" --visibility internal")]
    Add {
        /// Display name
        #[arg(long)]
        name: String,
        /// Short identifier used in URLs and commands [default: derived from the name]
        #[arg(long)]
        slug: Option<String>,
        /// One line about what the space is for
        #[arg(long, default_value = "")]
        description: String,
        /// "members" (only its members) or "internal" (every internal person may read it)
        #[arg(long, default_value = "members")]
        visibility: String,
    },
    /// List spaces
    #[command(after_help = "Examples:\n  parvis space list\n  parvis space list --json")]
    List {
        /// One JSON object per line instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Give a person, a group or a whole organization a role in a space
    #[command(group(clap::ArgGroup::new("member").required(true).multiple(false)))]
    #[command(after_help = "Examples:
  parvis space grant --space nordhavn-automation --user ingrid@nordhavn.example --role contributor
  parvis space grant --space nordhavn-automation --org nordhavn-logistics --role reader
  parvis space grant --space engineering --group engineering --role manager")]
    Grant {
        #[command(flatten)]
        target: Target,
        /// reader, contributor or manager
        #[arg(long)]
        role: String,
    },
    /// Remove a member from a space
    #[command(
        after_help = "Example:\n  parvis space revoke --space nordhavn-automation --user ingrid@nordhavn.example"
    )]
    Revoke {
        #[command(flatten)]
        target: Target,
    },
}

#[derive(Debug, clap::Args)]
#[group(skip)]
pub struct Target {
    /// Space slug
    #[arg(long)]
    space: String,
    /// A person, by e-mail
    #[arg(long, group = "member")]
    user: Option<String>,
    /// A group, by slug
    #[arg(long, group = "member")]
    group: Option<String>,
    /// A whole organization, by slug
    #[arg(long, group = "member")]
    org: Option<String>,
}

impl Target {
    fn parse(&self) -> Result<(Slug, MemberRef), CliError> {
        let space = Slug::parse(&self.space)?;
        let member = match (&self.user, &self.group, &self.org) {
            (Some(u), _, _) => MemberRef::Person(Email::parse(u)?),
            (_, Some(g), _) => MemberRef::Group(Slug::parse(g)?),
            (_, _, Some(o)) => MemberRef::Org(Slug::parse(o)?),
            _ => {
                return Err(CliError::Usage(
                    "name a member with --user, --group or --org".into(),
                ));
            }
        };
        Ok((space, member))
    }
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Add {
            name,
            slug,
            description,
            visibility,
        } => {
            let new = NewSpace {
                name: DisplayName::parse(&name)?,
                slug: slug.as_deref().map(Slug::parse).transpose()?,
                description,
                visibility: Visibility::parse(&visibility)?,
            };
            let state = open(config).await?;
            let s = service::create(&state.db, &actor, new).await?;
            println!(
                "Created space {} (slug {}, {})",
                s.name,
                s.slug,
                s.visibility.as_str()
            );
        }
        Command::List { json } => {
            let state = open(config).await?;
            let spaces = service::list(&state.db, &actor, None, u32::MAX).await?;
            if json {
                for s in &spaces {
                    println!(
                        "{}",
                        serde_json::to_string(s).map_err(|e| CliError::Runtime(e.to_string()))?
                    );
                }
            } else {
                println!("{:<36} {:<40} {:<9} MEMBERS", "SLUG", "NAME", "VISIBLE");
                for s in &spaces {
                    println!(
                        "{:<36} {:<40} {:<9} {}",
                        s.slug,
                        s.name,
                        s.visibility.as_str(),
                        s.members
                    );
                }
            }
        }
        Command::Grant { target, role } => {
            let (space, member) = target.parse()?;
            let role = Role::parse(&role)?;
            let state = open(config).await?;
            service::grant(&state.db, &actor, &space, member, role).await?;
            println!("Granted {} in {}.", role.as_str(), space);
        }
        Command::Revoke { target } => {
            let (space, member) = target.parse()?;
            let state = open(config).await?;
            if service::revoke(&state.db, &actor, &space, member).await? {
                println!("Revoked membership in {space}.");
            } else {
                println!("Nothing to revoke: not a direct member of {space}.");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
