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
        /// Portal whose home page shows the space, by slug; repeat for several [default: the default portal]
        #[arg(long = "portal", value_name = "PORTAL")]
        portals: Vec<String>,
    },
    /// Show a space on a portal's home page
    #[command(
        after_help = "Example:\n  parvis space publish --space nordhavn-automation --portal extranet"
    )]
    Publish {
        /// Space slug
        #[arg(long)]
        space: String,
        /// Portal slug
        #[arg(long)]
        portal: String,
    },
    /// Stop showing a space on a portal's home page (its members keep their access)
    #[command(
        after_help = "Example:\n  parvis space unpublish --space nordhavn-automation --portal main"
    )]
    Unpublish {
        /// Space slug
        #[arg(long)]
        space: String,
        /// Portal slug
        #[arg(long)]
        portal: String,
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
            portals,
        } => {
            let new = NewSpace {
                name: DisplayName::parse(&name)?,
                slug: slug.as_deref().map(Slug::parse).transpose()?,
                description,
                visibility: Visibility::parse(&visibility)?,
                portals: portals
                    .iter()
                    .map(|p| Slug::parse(p))
                    .collect::<Result<_, _>>()?,
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
        Command::Publish { space, portal } => publish(config, &space, &portal, true).await?,
        Command::Unpublish { space, portal } => publish(config, &space, &portal, false).await?,
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

async fn publish(config: Config, space: &str, portal: &str, on: bool) -> Result<(), CliError> {
    let (space, portal) = (Slug::parse(space)?, Slug::parse(portal)?);
    let state = open(config).await?;
    let changed =
        crate::portals::service::publish(&state.db, &Actor::cli(), &space, &portal, on).await?;
    match (on, changed) {
        (true, true) => println!("{space} is now shown on portal {portal}."),
        (false, true) => println!("{space} is no longer shown on portal {portal}."),
        (_, false) => println!("Nothing changed."),
    }
    Ok(())
}
