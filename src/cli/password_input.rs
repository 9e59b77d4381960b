//! Passwords are never taken from argv: they are read from standard input
//! (`--password-stdin`), prompted on a terminal, or generated.

use super::CliError;
use crate::util::Secret;
use std::io::{BufRead, IsTerminal};

pub enum Source {
    /// Read one line from standard input.
    Stdin,
    /// Prompt twice when standard input is a terminal; otherwise generate.
    PromptOrGenerate,
}

/// The password and whether Parvis generated it (then it must be shown once and changed).
pub fn obtain(source: Source) -> Result<(Secret<String>, bool), CliError> {
    match source {
        Source::Stdin => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map_err(|e| {
                CliError::Runtime(format!("cannot read the password from standard input: {e}"))
            })?;
            let pw = line.trim_end_matches(['\n', '\r']).to_string();
            if pw.is_empty() {
                return Err(CliError::Usage("no password on standard input".into()));
            }
            Ok((Secret::new(pw), false))
        }
        Source::PromptOrGenerate if std::io::stdin().is_terminal() => {
            let first = rpassword::prompt_password("New password (at least 12 characters): ")
                .map_err(|e| CliError::Runtime(format!("cannot read the password: {e}")))?;
            let second = rpassword::prompt_password("Repeat it: ")
                .map_err(|e| CliError::Runtime(format!("cannot read the password: {e}")))?;
            if first != second {
                return Err(CliError::Usage("the two passwords differ".into()));
            }
            Ok((Secret::new(first), false))
        }
        Source::PromptOrGenerate => Ok((Secret::new(crate::util::readable_password()), true)),
    }
}
