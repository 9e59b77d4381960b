//! `parvis token …`: personal access tokens for scripts.

use super::{CliError, open};
use crate::access::Actor;
use crate::auth::tokens::{self, Scope};
use crate::config::Config;
use crate::service::Email;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a token and print it (once)
    #[command(after_help = "Examples:
  parvis token create --user ana@lumen.example --name backup-script
  parvis token create --user it@lumen.example --name sync --scope admin --expires 90

Use it as `Authorization: Bearer <token>`.")]
    Create {
        /// Owner's e-mail
        #[arg(long)]
        user: String,
        /// What the token is for
        #[arg(long)]
        name: String,
        /// read, write or admin (admin only for administrators)
        #[arg(long, default_value = "read")]
        scope: String,
        /// Days until it expires [default: never]
        #[arg(long, value_name = "DAYS")]
        expires: Option<u32>,
    },
    /// List someone's tokens (never their secrets)
    #[command(after_help = "Example:\n  parvis token list --user ana@lumen.example")]
    List {
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by its id
    #[command(after_help = "Example:\n  parvis token revoke 12")]
    Revoke { id: i64 },
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Create {
            user,
            name,
            scope,
            expires,
        } => {
            let user = Email::parse(&user)?;
            let scope = Scope::parse(&scope)?;
            let state = open(config).await?;
            let created = tokens::create(&state.db, &actor, &user, &name, scope, expires).await?;
            println!("{}", created.secret.expose());
            eprintln!(
                "Token {} for {user} ({}): shown once, store it now.",
                created.id,
                scope.as_str()
            );
        }
        Command::List { user } => {
            let user = Email::parse(&user)?;
            let state = open(config).await?;
            println!(
                "{:<6} {:<28} {:<6} {:<24} STATE",
                "ID", "NAME", "SCOPE", "LAST USED"
            );
            for t in tokens::list(&state.db, &actor, &user).await? {
                let last = t
                    .last_used_at
                    .map(crate::util::format_ms)
                    .unwrap_or_else(|| "never".into());
                let now = crate::util::now_ms();
                let st = if t.revoked {
                    "revoked"
                } else if t.expires_at.is_some_and(|e| e <= now) {
                    "expired"
                } else {
                    "active"
                };
                println!(
                    "{:<6} {:<28} {:<6} {:<24} {st}",
                    t.id,
                    t.name,
                    t.scope.as_str(),
                    last
                );
            }
        }
        Command::Revoke { id } => {
            let state = open(config).await?;
            tokens::revoke(&state.db, &actor, id).await?;
            println!("Token {id} revoked.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
