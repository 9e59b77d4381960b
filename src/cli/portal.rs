//! `parvis portal …`: branded entry points, their host names, audience,
//! branding (colours, welcome texts, footer links) and images (logo, favicon).

use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::organizations::OrgKind;
use crate::portals::model::{SupportContact, WebLink};
use crate::portals::service::{self, AudienceRef, PortalImage, PortalInput};
use crate::portals::{Audience, Color, Hostname, Image, Portal};
use crate::service::{DisplayName, Locale, Slug};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a portal
    #[command(after_help = "Examples:
  parvis portal add --name \"Lumen Partners\" --host partners.lumen.example \\
      --audience client --audience supplier --color '#0b7a5a' --language fr
  parvis portal add --name \"Nordhavn\" --host nordhavn.lumen.example --audience org:nordhavn-logistics")]
    Add {
        #[command(flatten)]
        fields: Fields,
        /// Short identifier used in commands [default: derived from the name]
        #[arg(long)]
        slug: Option<String>,
    },
    /// Change a portal; options not given keep their value
    #[command(after_help = "Examples:
  parvis portal set --portal main --audience host          Only staff sign in on the intranet
  parvis portal set --portal main --host intranet.lumen.example --require-mfa true")]
    Set {
        /// Portal slug
        #[arg(long)]
        portal: String,
        #[command(flatten)]
        fields: Fields,
        /// Remove every host name
        #[arg(long, conflicts_with = "hosts")]
        no_hosts: bool,
    },
    /// List portals
    #[command(after_help = "Examples:\n  parvis portal list\n  parvis portal list --json")]
    List {
        /// One JSON object per line instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Remove a portal (the default portal stays)
    Remove {
        /// Portal slug
        #[arg(long)]
        portal: String,
    },
    /// Set or remove a portal's logo (PNG, JPEG, GIF or WebP, at most 512 KiB)
    #[command(after_help = "Example:\n  parvis portal logo --portal main --file lumen.png")]
    Logo {
        /// Portal slug
        #[arg(long)]
        portal: String,
        /// Image file
        #[arg(long, required_unless_present = "remove")]
        file: Option<std::path::PathBuf>,
        /// Go back to the built-in logo
        #[arg(long, conflicts_with = "file")]
        remove: bool,
    },
    /// Set or remove a portal's favicon (PNG, JPEG, GIF or WebP, at most 512 KiB)
    #[command(
        after_help = "Example:\n  parvis portal favicon --portal partners --file icon-64.png"
    )]
    Favicon {
        /// Portal slug
        #[arg(long)]
        portal: String,
        /// Image file
        #[arg(long, required_unless_present = "remove")]
        file: Option<std::path::PathBuf>,
        /// Show the logo as the favicon again
        #[arg(long, conflicts_with = "file")]
        remove: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct Fields {
    /// Display name
    #[arg(long)]
    name: Option<String>,
    /// Host name this portal answers to; repeat for several (replaces the list)
    #[arg(long = "host", value_name = "HOST", id = "hosts")]
    hosts: Vec<String>,
    /// Who may sign in: host, client, partner, supplier, other, or org:SLUG; repeat (replaces the list)
    #[arg(long = "audience", value_name = "WHO")]
    audience: Vec<String>,
    /// Accent colour (buttons, links), #rrggbb; refused when white text on it
    /// or links in it would fall below a 4.5:1 contrast
    #[arg(long)]
    color: Option<String>,
    /// Header background colour, #rrggbb (its text colour is computed)
    #[arg(long)]
    header_color: Option<String>,
    /// Language for visitors who have not chosen one: en or fr
    #[arg(long)]
    language: Option<String>,
    /// Welcome text in English, on the portal's home and sign-in pages
    #[arg(long)]
    welcome: Option<String>,
    /// Welcome text in French, on the portal's home and sign-in pages
    #[arg(long)]
    welcome_fr: Option<String>,
    /// Legal notice web address (https://…), in every page's footer; "" removes it
    #[arg(long)]
    legal_url: Option<String>,
    /// Support contact, an e-mail address or https://… address; "" removes it
    #[arg(long)]
    support: Option<String>,
    /// Days an external account invited here stays open before renewal
    #[arg(long)]
    access_days: Option<u32>,
    /// Require a second factor from everyone signing in here: true or false
    #[arg(long)]
    require_mfa: Option<bool>,
    /// Allow public share links to documents on this portal: true or false
    #[arg(long)]
    share_links: Option<bool>,
}

impl Fields {
    fn parse(&self) -> Result<PortalInput, CliError> {
        let audience = if self.audience.is_empty() {
            None
        } else {
            Some(
                self.audience
                    .iter()
                    .map(|a| match a.strip_prefix("org:") {
                        Some(slug) => Ok(AudienceRef::Org(Slug::parse(slug)?)),
                        None => Ok(AudienceRef::Kind(OrgKind::parse(a)?)),
                    })
                    .collect::<Result<Vec<_>, crate::service::Error>>()?,
            )
        };
        Ok(PortalInput {
            name: self.name.as_deref().map(DisplayName::parse).transpose()?,
            slug: None,
            hostnames: if self.hosts.is_empty() {
                None
            } else {
                Some(
                    self.hosts
                        .iter()
                        .map(|h| Hostname::parse(h))
                        .collect::<Result<_, _>>()?,
                )
            },
            audience,
            primary_color: self.color.as_deref().map(Color::parse_accent).transpose()?,
            header_color: self
                .header_color
                .as_deref()
                .map(Color::parse_header)
                .transpose()?,
            welcome_text_fr: self.welcome_fr.clone(),
            legal_url: self
                .legal_url
                .as_deref()
                .map(|l| match l.trim() {
                    "" => Ok(None),
                    l => WebLink::parse(l, "legal_url").map(Some),
                })
                .transpose()?,
            support_contact: self
                .support
                .as_deref()
                .map(|c| match c.trim() {
                    "" => Ok(None),
                    c => SupportContact::parse(c).map(Some),
                })
                .transpose()?,
            default_locale: self
                .language
                .as_deref()
                .map(|l| {
                    Locale::parse(l)
                        .ok_or_else(|| CliError::Usage("language must be en or fr".into()))
                })
                .transpose()?,
            welcome_text: self.welcome.clone(),
            external_access_days: self.access_days,
            require_mfa: self.require_mfa,
            share_links: self.share_links,
        })
    }
}

fn describe(p: &Portal, orgs: &[crate::organizations::Organization]) -> String {
    let audience: Vec<String> = p
        .audience
        .iter()
        .map(|a| match a {
            Audience::Kind { kind } => kind.as_str().to_string(),
            Audience::Organization { id } => orgs
                .iter()
                .find(|o| o.id == *id)
                .map_or_else(|| format!("org:{id}"), |o| format!("org:{}", o.slug)),
        })
        .collect();
    format!(
        "{:<16} {:<28} {:<36} {}{}",
        p.slug,
        p.name,
        if p.hostnames.is_empty() {
            "(any other host name)".to_string()
        } else {
            p.hostnames.join(",")
        },
        audience.join(","),
        if p.is_default { "  [default]" } else { "" }
    )
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Add { fields, slug } => {
            let mut input = fields.parse()?;
            input.slug = slug.as_deref().map(Slug::parse).transpose()?;
            let state = open(config).await?;
            let p = service::create(&state.db, &state.portals, &actor, input).await?;
            println!("Created portal {} (slug {})", p.name, p.slug);
        }
        Command::Set {
            portal,
            fields,
            no_hosts,
        } => {
            let mut input = fields.parse()?;
            if no_hosts {
                input.hostnames = Some(Vec::new());
            }
            let state = open(config).await?;
            let p = service::update(&state.db, &state.portals, &actor, &portal, input).await?;
            println!("Updated portal {} (slug {})", p.name, p.slug);
        }
        Command::List { json } => {
            let state = open(config).await?;
            let portals = service::list(&state.portals, &actor)?;
            if json {
                for p in &portals {
                    println!(
                        "{}",
                        serde_json::to_string(p.as_ref())
                            .map_err(|e| CliError::Runtime(e.to_string()))?
                    );
                }
            } else {
                let orgs = crate::organizations::service::list(&state.db, &actor).await?;
                println!(
                    "{:<16} {:<28} {:<36} AUDIENCE",
                    "SLUG", "NAME", "HOST NAMES"
                );
                for p in &portals {
                    println!("{}", describe(p, &orgs));
                }
            }
        }
        Command::Remove { portal } => {
            let state = open(config).await?;
            service::delete(&state.db, &state.portals, &actor, &portal).await?;
            println!("Removed portal {portal}.");
        }
        Command::Logo {
            portal,
            file,
            remove,
        } => {
            image(config, &actor, &portal, file, remove, PortalImage::Logo).await?;
        }
        Command::Favicon {
            portal,
            file,
            remove,
        } => {
            image(config, &actor, &portal, file, remove, PortalImage::Favicon).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn image(
    config: Config,
    actor: &Actor,
    portal: &str,
    file: Option<std::path::PathBuf>,
    remove: bool,
    which: PortalImage,
) -> Result<(), CliError> {
    let what = match which {
        PortalImage::Logo => "Logo",
        PortalImage::Favicon => "Favicon",
    };
    let image = match (file, remove) {
        (Some(path), false) => {
            let meta = std::fs::metadata(&path)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            if meta.len() > Image::MAX_BYTES as u64 {
                return Err(CliError::Usage(format!(
                    "{}: larger than 512 KiB",
                    path.display()
                )));
            }
            let data = std::fs::read(&path)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            Some(Image::parse(data)?)
        }
        _ => None,
    };
    let state = open(config).await?;
    let set = image.is_some();
    service::set_image(&state.db, &state.portals, actor, portal, which, image).await?;
    if set {
        println!("{what} of {portal} updated.");
    } else {
        println!("{what} of {portal} removed.");
    }
    Ok(())
}
