//! `parvis org …`: add and list organizations.

use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::organizations::OrgKind;
use crate::organizations::service::{self, NewOrganization};
use crate::service::{DisplayName, EmailDomain, Slug};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an external organization
    #[command(after_help = "Examples:
  parvis org add --name \"Nordhavn Logistics\" --kind client
  parvis org add --name \"Atelier Verdier\" --kind supplier --slug verdier --domain verdier.example")]
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
        /// An e-mail domain of its people (repeat for several); invitations
        /// propose this organization for these addresses
        #[arg(long = "domain")]
        domains: Vec<String>,
    },
    /// Change an organization's name or e-mail domains
    #[command(after_help = "Examples:
  parvis org set nordhavn-logistics --domain nordhavn.example --domain nordhavn.example.org
  parvis org set verdier --name \"Atelier Verdier SA\"
  parvis org set verdier --no-domains")]
    Set {
        /// The organization's slug
        slug: String,
        /// New display name
        #[arg(long)]
        name: Option<String>,
        /// Its e-mail domains, replacing the current ones (repeat for several)
        #[arg(long = "domain", conflicts_with = "no_domains")]
        domains: Vec<String>,
        /// Remove every e-mail domain
        #[arg(long)]
        no_domains: bool,
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
        Command::Add {
            name,
            kind,
            slug,
            domains,
        } => {
            let new = NewOrganization {
                name: DisplayName::parse(&name)?,
                kind: OrgKind::parse(&kind)?,
                slug: slug.as_deref().map(Slug::parse).transpose()?,
                domains: EmailDomain::parse_list(&domains.join(" "))?,
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
        Command::Set {
            slug,
            name,
            domains,
            no_domains,
        } => {
            let changes = service::Changes {
                name: name.as_deref().map(DisplayName::parse).transpose()?,
                domains: if no_domains {
                    Some(Vec::new())
                } else if domains.is_empty() {
                    None
                } else {
                    Some(EmailDomain::parse_list(&domains.join(" "))?)
                },
            };
            let state = open(config).await?;
            let org = service::by_slug(&state.db, &actor, &slug).await?;
            let org = service::update(&state.db, &actor, org.id, changes).await?;
            println!(
                "Updated {} (slug {}, domains: {})",
                org.name,
                org.slug,
                if org.domains.is_empty() {
                    "none".to_string()
                } else {
                    org.domains.join(", ")
                }
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
