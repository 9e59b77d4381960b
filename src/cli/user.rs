//! `parvis user …`: add, list, disable, enable, set-password.

use super::password_input::{Source, obtain};
use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::people::PersonStatus;
use crate::people::service::{self, NewPerson};
use crate::service::{DisplayName, Email, NewPassword};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account
    #[command(after_help = "Examples:
  parvis user add --email ana@example.com --name \"Ana Silva\" --title \"Buyer\"
  parvis user add --email it@example.com --name \"IT Desk\" --admin
  echo \"$PASSWORD\" | parvis user add --email bob@client.example --name Bob --org nordhavn --password-stdin
  parvis user add --email eve@client.example --name Eve --org nordhavn --expires 2027-06-30

Without --password-stdin a password is prompted on a terminal, or else a one-time
password is generated and printed.")]
    Add(AddArgs),
    /// List accounts
    #[command(after_help = "Examples:\n  parvis user list\n  parvis user list --json")]
    List {
        /// One JSON object per line instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Disable an account and end its sessions at once
    #[command(after_help = "Example:\n  parvis user disable bob@client.example")]
    Disable { email: String },
    /// Re-enable a disabled account
    #[command(after_help = "Example:\n  parvis user enable bob@client.example")]
    Enable { email: String },
    /// Invite an external person: an account without password, a sponsor, an
    /// access end date, and a single-use link by e-mail (also printed here)
    #[command(after_help = "Examples:
  parvis user invite --email ingrid@nordhavn.example --name \"Ingrid Solberg\" --org nordhavn-logistics \\
      --space nordhavn-automation:contributor --sponsor sofia.almeida@lumen.example
  parvis user invite --email marc@verdier.example --name \"Marc Verdier\" --org atelier-verdier \\
      --space supplier-quality --sponsor amina.diallo@lumen.example --portal partners --days 90 --language fr")]
    Invite(InviteArgs),
    /// Extend an external person's access by their portal's access length
    #[command(after_help = "Example:\n  parvis user renew ingrid@nordhavn.example")]
    Renew { email: String },
    /// End an external person's access now (their sessions end at once)
    #[command(after_help = "Example:\n  parvis user end-access ingrid@nordhavn.example")]
    EndAccess { email: String },
    /// Set someone's password (their sessions end)
    #[command(after_help = "Examples:
  parvis user set-password ana@example.com
  echo \"$PASSWORD\" | parvis user set-password ana@example.com --password-stdin")]
    SetPassword {
        email: String,
        /// Read the password from standard input
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// E-mail address, used to sign in
    #[arg(long)]
    email: String,
    /// Full name
    #[arg(long)]
    name: String,
    /// Organization slug [default: the host organization]
    #[arg(long, value_name = "SLUG")]
    org: Option<String>,
    /// Job title
    #[arg(long, default_value = "")]
    title: String,
    /// Department
    #[arg(long, default_value = "")]
    department: String,
    /// Make this person an instance administrator
    #[arg(long)]
    admin: bool,
    /// Last day the account may sign in (YYYY-MM-DD, UTC), e.g. for external people
    #[arg(long, value_name = "DATE")]
    expires: Option<String>,
    /// Read the password from standard input
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, clap::Args)]
pub struct InviteArgs {
    /// E-mail address of the person invited
    #[arg(long)]
    email: String,
    /// Full name
    #[arg(long)]
    name: String,
    /// Slug of their (external) organization
    #[arg(long, value_name = "SLUG")]
    org: String,
    /// A space they join, as SLUG or SLUG:ROLE (reader, contributor, manager); repeat for several
    #[arg(long = "space", value_name = "SPACE[:ROLE]")]
    spaces: Vec<String>,
    /// E-mail of the staff member answerable for the account
    #[arg(long, value_name = "EMAIL")]
    sponsor: String,
    /// Portal they will use (its host name goes into the link) [default: the default portal]
    #[arg(long, value_name = "SLUG")]
    portal: Option<String>,
    /// Days of access [default: the portal's setting]
    #[arg(long)]
    days: Option<u32>,
    /// Language of the invitation and the account: en or fr [default: the portal's]
    #[arg(long)]
    language: Option<String>,
    /// Invite into --org even though the address's domain belongs to another
    /// organization (or is not among --org's domains)
    #[arg(long)]
    confirm_org: bool,
}

impl InviteArgs {
    fn parse(&self) -> Result<crate::auth::invitations::Invitation, CliError> {
        use crate::service::Slug;
        let spaces = self
            .spaces
            .iter()
            .map(|s| {
                let (slug, role) = s.split_once(':').unwrap_or((s.as_str(), "reader"));
                Ok::<_, crate::service::Error>((
                    Slug::parse(slug)?,
                    crate::spaces::Role::parse(role)?,
                ))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(crate::auth::invitations::Invitation {
            email: Email::parse(&self.email)?,
            name: DisplayName::parse(&self.name)?,
            org: Slug::parse(&self.org)?,
            spaces,
            sponsor: Some(Email::parse(&self.sponsor)?),
            portal: self.portal.as_deref().map(Slug::parse).transpose()?,
            access_days: self.days,
            locale: self
                .language
                .as_deref()
                .map(|l| {
                    crate::service::Locale::parse(l)
                        .ok_or_else(|| CliError::Usage("language must be en or fr".into()))
                })
                .transpose()?,
            org_confirmed: self.confirm_org,
        })
    }
}

/// The first instant after the given day (UTC): the account works through that whole day.
fn end_of_day(raw: &str) -> Result<i64, CliError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw.trim(), &format)
        .map_err(|_| CliError::Usage(format!("invalid --expires {raw:?}: expected YYYY-MM-DD")))?;
    let next = date
        .next_day()
        .ok_or_else(|| CliError::Usage(format!("invalid --expires {raw:?}")))?;
    Ok((next.midnight().assume_utc().unix_timestamp()) * 1000)
}

fn source(stdin: bool) -> Source {
    if stdin {
        Source::Stdin
    } else {
        Source::PromptOrGenerate
    }
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Invite(args) => {
            let inv = args.parse()?;
            let state = open(config).await?;
            let mailer = crate::auth::invitations::Mailer {
                i18n: &state.i18n,
                config: &state.config,
                lifetime: state.config.auth.invitation_lifetime,
            };
            let default_portal = state.portals.current().default_portal().id;
            let sent =
                crate::auth::invitations::invite(&state.db, &mailer, &actor, default_portal, inv)
                    .await?;
            println!(
                "Invited {}; the e-mail waits in the outbox (the running server sends it).",
                args.email.trim()
            );
            println!(
                "Invitation link (single use, until {}):",
                crate::util::format_ms(sent.expires_at)
            );
            println!("  {}", sent.link.expose());
        }
        Command::Renew { email } => {
            let email = Email::parse(&email)?;
            let state = open(config).await?;
            let p = service::by_email_admin(&state.db, &actor, &email).await?;
            let until = crate::people::lifecycle::renew(&state.db, &actor, p.id).await?;
            println!(
                "Access of {email} renewed until {}.",
                crate::util::format_ms(until)
            );
        }
        Command::EndAccess { email } => {
            let email = Email::parse(&email)?;
            let state = open(config).await?;
            let p = service::by_email_admin(&state.db, &actor, &email).await?;
            crate::people::lifecycle::end_access(&state.db, &actor, p.id).await?;
            println!("Access of {email} ended; their sessions are closed.");
        }
        Command::Add(a) => {
            let email = Email::parse(&a.email)?;
            let name = DisplayName::parse(&a.name)?;
            let (pw, generated) = obtain(source(a.password_stdin))?;
            let password = NewPassword::parse(
                pw.expose(),
                &[email.as_str(), email.local_part(), name.as_str()],
            )?;
            let state = open(config).await?;
            let mut new = NewPerson::new(email, name);
            new.org_slug = a.org;
            new.title = a.title;
            new.department = a.department;
            new.admin = a.admin;
            new.password = Some(password);
            new.must_change = generated;
            new.expires_at = a.expires.as_deref().map(end_of_day).transpose()?;
            let p = service::create(&state.db, &state.hasher, &actor, new).await?;
            println!("Created {} <{}> in {}", p.display_name, p.email, p.org_name);
            if generated {
                println!(
                    "One-time password: {} (to be changed at first sign-in)",
                    pw.expose()
                );
            }
        }
        Command::List { json } => {
            let state = open(config).await?;
            let people = service::list(&state.db, &actor, None, u32::MAX).await?;
            if json {
                for p in &people {
                    println!(
                        "{}",
                        serde_json::to_string(p).map_err(|e| CliError::Runtime(e.to_string()))?
                    );
                }
            } else {
                println!(
                    "{:<36} {:<28} {:<24} {:<9} ROLE",
                    "EMAIL", "NAME", "ORGANIZATION", "STATUS"
                );
                for p in &people {
                    println!(
                        "{:<36} {:<28} {:<24} {:<9} {}",
                        p.email,
                        p.display_name,
                        p.org_name,
                        p.status.as_str(),
                        if p.is_admin { "admin" } else { "" }
                    );
                }
                println!("{} account(s)", people.len());
            }
        }
        Command::Disable { email } => {
            let email = Email::parse(&email)?;
            let state = open(config).await?;
            let p = service::set_status(&state.db, &actor, &email, PersonStatus::Disabled).await?;
            println!("Disabled {}; their sessions have ended.", p.email);
        }
        Command::Enable { email } => {
            let email = Email::parse(&email)?;
            let state = open(config).await?;
            let p = service::set_status(&state.db, &actor, &email, PersonStatus::Active).await?;
            println!("Enabled {}.", p.email);
        }
        Command::SetPassword {
            email,
            password_stdin,
        } => {
            let email = Email::parse(&email)?;
            let (pw, generated) = obtain(source(password_stdin))?;
            let password = NewPassword::parse(pw.expose(), &[email.as_str(), email.local_part()])?;
            let state = open(config).await?;
            let p = service::set_password(
                &state.db,
                &state.hasher,
                &actor,
                &email,
                password,
                generated,
            )
            .await?;
            println!("Password set for {}; their sessions have ended.", p.email);
            if generated {
                println!(
                    "One-time password: {} (to be changed at first sign-in)",
                    pw.expose()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
