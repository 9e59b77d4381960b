//! `parvis verify-approval FILE [--document PATH]`: checks an approval
//! record against this instance — its signature, the key that made it, the
//! place of each decision in the audit log, and, given the file, that its
//! bytes are those approved — and says what holds and what does not.

use super::CliError;
use crate::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis verify-approval approval-12.json
  parvis verify-approval approval-12.json --document 'Compliance certificate.pdf'

Exit code 0 when everything holds, 1 when something does not.")]
pub struct Args {
    /// The approval record (JSON), as downloaded
    file: PathBuf,
    /// The document it is about, to check its bytes are those approved
    #[arg(long)]
    document: Option<PathBuf>,
    /// Print the verdict as JSON
    #[arg(long)]
    json: bool,
}

fn read(path: &PathBuf) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

/// The BLAKE3 hash of a file, read as it goes (a document may be large).
fn hash(path: &PathBuf) -> Result<String, CliError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
    let mut hasher = blake3::Hasher::new();
    hasher
        .update_reader(file)
        .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
    Ok(hasher.finalize().to_hex().to_string())
}

pub async fn run(config: Config, args: Args) -> Result<ExitCode, CliError> {
    let record = read(&args.file)?;
    let document = args.document.as_ref().map(hash).transpose()?;
    let state = super::open(config).await?;
    let v = crate::approvals::service::verify(&state.db, record, document).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| CliError::Runtime(e.to_string()))?
        );
    } else {
        let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
        println!("[{}] the file is an approval record", mark(v.readable));
        if v.readable {
            println!("[{}] its signature matches its contents", mark(v.signature));
            println!("[{}] it was signed by this instance", mark(v.known_key));
        }
        match v.chain {
            Some(ok) => println!(
                "[{}] each decision is in the audit log as recorded",
                mark(ok)
            ),
            None if v.readable => {
                println!("[--  ] the audit log was not checked (another instance's record)")
            }
            None => {}
        }
        match v.document {
            Some(ok) => println!("[{}] the document's bytes are those approved", mark(ok)),
            None if v.readable => {
                println!("[--  ] no document given (--document PATH checks its bytes)")
            }
            None => {}
        }
        for p in &v.problems {
            println!("  - {p}");
        }
        println!(
            "{}",
            if v.holds() {
                "the record holds"
            } else {
                "the record does NOT hold"
            }
        );
    }
    Ok(if v.holds() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
