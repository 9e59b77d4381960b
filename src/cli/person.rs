//! `parvis person …`: one person's own data — exported for them (GDPR
//! access), or erased (GDPR erasure).

use super::{CliError, open};
use crate::access::Actor;
use crate::config::Config;
use crate::service::Email;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Export everything about one person (profile, memberships, what they
    /// wrote and uploaded, their audit trail) into a tar archive
    #[command(
        after_help = "Example:\n  parvis person export --email ana@example.com --out ana-data.tar"
    )]
    Export {
        /// Their e-mail address
        #[arg(long)]
        email: String,
        /// The archive to write (.tar)
        #[arg(long)]
        out: PathBuf,
    },
    /// Erase a person: their name, e-mail, profile, photo, sign-in means and
    /// memberships go; what they shared stays, under a neutral name. Cannot be undone.
    #[command(after_help = "Example:\n  parvis person erase --email bob@client.example --yes")]
    Erase {
        /// Their e-mail address
        #[arg(long)]
        email: String,
        /// Confirm: erasure cannot be undone
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(config: Config, cmd: Command) -> Result<ExitCode, CliError> {
    let actor = Actor::cli();
    match cmd {
        Command::Export { email, mut out } => {
            let email = Email::parse(&email)?;
            if out
                .extension()
                .is_none_or(|e| !e.eq_ignore_ascii_case("tar"))
            {
                out.as_mut_os_string().push(".tar");
            }
            let state = open(config).await?;
            let person = crate::people::service::by_email_admin(&state.db, &actor, &email)
                .await
                .map_err(|_| CliError::Runtime(format!("nobody has the e-mail address {email}")))?;
            let summary =
                crate::people::data_export::export_for(&state, &actor, person.id, &out).await?;
            println!(
                "the data of {} written to {}: {} rows, {} files, {:.1} MiB",
                person.email,
                out.display(),
                summary.rows,
                summary.files,
                summary.bytes as f64 / 1_048_576.0
            );
        }
        Command::Erase { email, yes } => {
            let email = Email::parse(&email)?;
            if !yes {
                return Err(CliError::Usage(
                    "erasure cannot be undone: add --yes to confirm".into(),
                ));
            }
            let state = open(config).await?;
            let person = crate::people::service::by_email_admin(&state.db, &actor, &email)
                .await
                .map_err(|_| CliError::Runtime(format!("nobody has the e-mail address {email}")))?;
            let erased =
                crate::people::erasure::erase(&state.db, state.kinds, &actor, person.id).await?;
            println!(
                "erased person {}: {} document(s) they wrote kept under a neutral name, {} session(s) ended",
                erased.person_id, erased.documents_kept, erased.sessions_ended
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
