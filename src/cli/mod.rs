//! The command line: global flags, one module per subcommand, and the mapping
//! of outcomes to exit codes (0 ok, 1 runtime failure, 2 bad usage or configuration).

mod audit;
mod backup;
mod check;
mod export;
mod group;
mod import;
mod init;
mod mfa;
mod org;
mod password_input;
mod person;
mod portal;
mod reindex;
mod restore;
mod serve;
mod space;
mod token;
mod user;
mod verify_approval;

use crate::app::{AppError, AppState};
use crate::config::{self, Config, ConfigError, Layers, LogFormat};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  parvis serve --demo                     Run with a demo company in ./parvis-data
  parvis serve --listen 0.0.0.0:443       Serve HTTPS on port 443
  parvis --data-dir /var/lib/parvis init  Prepare a data directory and a first administrator
  parvis user add --email ana@example.com --name \"Ana Silva\"
  parvis org add --name \"Nordhavn Logistics\" --kind client
  parvis space grant --space nordhavn-automation --org nordhavn-logistics --role reader
  parvis check                            Verify the database, audit chain and certificate

Configuration: defaults < config file < PARVIS_* environment < flags.
See config.example.toml for every key.";

#[derive(Debug, Parser)]
#[command(
    name = "parvis",
    version,
    about = "Parvis — a sovereign intranet and extranet in one binary",
    long_about = "Parvis — a sovereign intranet and extranet in one binary.\n\n\
        Everything lives in one data directory: the SQLite database, files, the search index \
        and the TLS certificate.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Data directory [default: ./parvis-data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Configuration file [default: <DATA_DIR>/config.toml when it exists]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log format on standard error
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    log_format: Option<LogFormatArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormatArg {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (HTTPS on 0.0.0.0:8443 by default)
    Serve(serve::Args),
    /// Prepare the data directory: database, host organization, first administrator
    Init(init::Args),
    /// Manage people's accounts
    #[command(subcommand)]
    User(user::Command),
    /// One person's data: export it for them, or erase it
    #[command(subcommand)]
    Person(person::Command),
    /// Manage organizations
    #[command(subcommand)]
    Org(org::Command),
    /// Manage groups of people
    #[command(subcommand)]
    Group(group::Command),
    /// Manage spaces and their members
    #[command(subcommand)]
    Space(space::Command),
    /// Manage portals: host names, audience, branding
    #[command(subcommand)]
    Portal(portal::Command),
    /// Second-factor policy, and reset for someone who lost their device
    #[command(subcommand)]
    Mfa(mfa::Command),
    /// Personal access tokens for scripts and the API
    #[command(subcommand)]
    Token(token::Command),
    /// Check the data directory, database, audit chain and certificate
    Check(check::Args),
    /// Work with the audit log
    #[command(subcommand)]
    Audit(audit::Command),
    /// Rebuild the search index from the database (the server keeps serving)
    Reindex(reindex::Args),
    /// Write a consistent backup archive (safe while the server runs)
    Backup(backup::Args),
    /// Restore an instance from a backup archive (verified before anything is written)
    Restore(restore::Args),
    /// Export everything in open formats (JSON Lines, CSV, the files), to a directory or a .tar
    Export(export::Args),
    /// Build a new instance from an export (checked whole before it is committed)
    Import(import::Args),
    /// Check an approval record: its signature, this instance's key, the audit log, the document's bytes
    VerifyApproval(verify_approval::Args),
}

/// Why a command failed, and so which exit code it gets.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("configuration error: {0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Runtime(String),
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        CliError::Runtime(e.to_string())
    }
}

impl From<crate::service::Error> for CliError {
    fn from(e: crate::service::Error) -> Self {
        use crate::service::Error as E;
        match e {
            E::Invalid { field, code } => {
                CliError::Usage(format!("invalid {field}: {}", describe_code(code)))
            }
            E::Conflict(code) | E::Exists(code) => {
                CliError::Runtime(describe_code(code).to_string())
            }
            E::NotFound => CliError::Runtime("not found".into()),
            other => CliError::Runtime(other.to_string()),
        }
    }
}

/// English wording of service error codes for the terminal: the web's
/// English messages, with a pointer to the right command where one helps.
fn describe_code(code: &str) -> String {
    let hint = match code {
        "org-unknown" => "no organization has this slug (see `parvis org list`)",
        "org-no-host" => "this data directory is not initialized yet: run `parvis init` first",
        "space-unknown" => "no space has this slug (see `parvis space list`)",
        "group-unknown" => "no group has this slug (see `parvis group list`)",
        "person-unknown" => "nobody has this e-mail address (see `parvis user list`)",
        "portal-unknown" => "no portal has this slug (see `parvis portal list`)",
        _ => "",
    };
    if !hint.is_empty() {
        return hint.to_string();
    }
    static ENGLISH: std::sync::LazyLock<Option<crate::i18n::Tr>> = std::sync::LazyLock::new(|| {
        crate::i18n::I18n::load()
            .ok()
            .map(|i| crate::i18n::Tr::new(std::sync::Arc::new(i), crate::service::Locale::En))
    });
    let key = format!("error-{code}");
    match ENGLISH.as_ref() {
        Some(tr) if tr.has(&key) => tr.t(&key).to_string(),
        _ => code.to_string(),
    }
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Config(_) => 2,
            CliError::Runtime(_) => 1,
        }
    }
}

/// Parses the command line, runs the command, and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The configuration first: it sizes the runtime's thread pools.
    let config = match load_config(&cli) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("parvis: {e}");
            return ExitCode::from(e.exit_code());
        }
    };
    init_tracing(&config);
    let runtime = match runtime(&config) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("parvis: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parvis: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// The async runtime with the configured ceilings (`[runtime]`): tokio's own
/// default of 512 blocking threads kept 10 s each let a burst of uploads
/// leave dozens of idle threads, each holding its allocator cache, that
/// background work woke in turn before any could end.
pub fn runtime(config: &Config) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.worker_threads())
        .max_blocking_threads(config.runtime.blocking_threads)
        .thread_keep_alive(config.runtime.thread_keep_alive)
        .enable_all()
        .build()
}

fn load_config(cli: &Cli) -> Result<Config, CliError> {
    let mut flags = Vec::new();
    if let Some(dir) = &cli.data_dir {
        flags.push((
            "data_dir".to_string(),
            "--data-dir".to_string(),
            dir.display().to_string(),
        ));
    }
    if let Some(f) = cli.log_format {
        let v = match f {
            LogFormatArg::Text => "text",
            LogFormatArg::Json => "json",
        };
        flags.push((
            "log.format".to_string(),
            "--log-format".to_string(),
            v.to_string(),
        ));
    }
    if let Command::Serve(args) = &cli.command
        && let Some(listen) = &args.listen
    {
        flags.push((
            "server.listen".to_string(),
            "--listen".to_string(),
            listen.clone(),
        ));
    }
    let layers = Layers {
        config_file: cli.config.clone(),
        env: std::env::vars().collect(),
        flags,
    };
    Ok(config::load(&layers)?)
}

async fn run(cli: Cli, config: Config) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Serve(args) => serve::run(config, args).await,
        Command::Init(args) => init::run(config, args).await,
        Command::User(cmd) => user::run(config, cmd).await,
        Command::Org(cmd) => org::run(config, cmd).await,
        Command::Person(cmd) => person::run(config, cmd).await,
        Command::Group(cmd) => group::run(config, cmd).await,
        Command::Space(cmd) => space::run(config, cmd).await,
        Command::Portal(cmd) => portal::run(config, cmd).await,
        Command::Mfa(cmd) => mfa::run(config, cmd).await,
        Command::Token(cmd) => token::run(config, cmd).await,
        Command::Check(args) => check::run(config, args),
        Command::Audit(cmd) => audit::run(config, cmd).await,
        Command::Reindex(args) => reindex::run(config, args).await,
        Command::Backup(args) => backup::run(config, args),
        Command::Restore(args) => restore::run(config, args).await,
        Command::Export(args) => export::run(config, args),
        Command::Import(args) => import::run(config, args).await,
        Command::VerifyApproval(args) => verify_approval::run(config, args).await,
    }
}

fn init_tracing(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("PARVIS_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_new(quieted(&config.log.level)).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    use std::io::IsTerminal;
    // A log line that cannot be written (standard error on a full disk) is
    // lost; the default would report it with `eprintln!`, which panics in
    // whatever request or worker was logging.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .log_internal_errors(false)
        .with_writer(std::io::stderr);
    let _ = match config.log.format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}

/// The configured level, with libraries' lines that no operator acts on
/// quieted unless the level names them: the search engine's progress
/// (commits, merges), and TLS's warning at every handshake of a client that
/// names an IP address instead of a host (one more log write per connection
/// on the request path, for every monitoring probe).
fn quieted(level: &str) -> String {
    let mut filter = level.to_string();
    for (target, floor) in [("tantivy", "warn"), ("rustls", "error")] {
        if !level.contains(target) {
            filter.push_str(&format!(",{target}={floor}"));
        }
    }
    filter
}

/// Opens the data directory for a command that changes it.
async fn open(config: Config) -> Result<AppState, CliError> {
    Ok(AppState::open(config).await?)
}

#[cfg(test)]
mod runtime_tests {
    use super::*;

    #[test]
    fn library_chatter_is_quieted_unless_asked_for() {
        assert_eq!(quieted("info"), "info,tantivy=warn,rustls=error");
        assert_eq!(
            quieted("info,rustls=debug"),
            "info,rustls=debug,tantivy=warn"
        );
    }
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn blocking_work_never_runs_on_more_threads_than_configured() {
        let mut config = Config::default();
        config.runtime.worker_threads = 1;
        config.runtime.blocking_threads = 2;
        let rt = runtime(&config).unwrap_or_else(|e| panic!("runtime: {e}"));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let tasks: Vec<_> = (0..8)
                .map(|_| {
                    let (running, most) = (running.clone(), most.clone());
                    tokio::task::spawn_blocking(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(30));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                })
                .collect();
            for t in tasks {
                assert!(t.await.is_ok());
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(rt.metrics().num_workers(), 1);
    }
}
