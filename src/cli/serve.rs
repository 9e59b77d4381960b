//! `parvis serve`: initialize if needed, optionally seed the demo, and serve.

use super::{CliError, open};
use crate::config::{Config, TlsMode};
use crate::ops::init::{AdminSeed, InitReport};
use crate::server;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  parvis serve --demo                 First look: a demo company, HTTPS on port 8443
  parvis serve --listen 127.0.0.1:8080 --config /etc/parvis/config.toml
  PARVIS_TLS_MODE=off parvis serve    Plain HTTP behind a reverse proxy")]
pub struct Args {
    /// Address and port to listen on [default: 0.0.0.0:8443]
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Seed a small demo company (once) so there is something to see
    #[arg(long)]
    pub demo: bool,
}

pub async fn run(mut config: Config, args: Args) -> Result<ExitCode, CliError> {
    let listen = config.server.listen;
    // The port first: a busy one stops the start before anything is written.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| CliError::Runtime(format!("cannot listen on {listen}: {e}")))?;
    let bound = listener.local_addr().unwrap_or(listen);
    // Links in e-mails name the port actually listened on (`--listen …:0`).
    config.server.listen = bound;
    let state = open(config).await?;
    let org = if args.demo {
        crate::demo::HOST_NAME
    } else {
        "Parvis"
    };
    let report = crate::ops::init::run(&state, org, AdminSeed::from_env()).await?;
    let demo_password = if args.demo {
        crate::demo::seed(&state).await?
    } else {
        None
    };
    let tls = server::prepare_tls(&state).map_err(|e| CliError::Runtime(e.to_string()))?;
    let shutdown = server::listener::shutdown_signal();
    print_welcome(
        &state.config,
        bound,
        &report,
        demo_password.as_ref().map(|p| p.expose().as_str()),
    );
    server::run(state, listener, tls, shutdown)
        .await
        .map_err(|e| CliError::Runtime(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

fn print_welcome(
    config: &Config,
    bound: std::net::SocketAddr,
    report: &InitReport,
    demo_password: Option<&str>,
) {
    let scheme = if config.tls.mode == TlsMode::Off {
        "http"
    } else {
        "https"
    };
    let host = config
        .server
        .hostnames
        .first()
        .map(String::as_str)
        .unwrap_or("localhost");
    println!();
    println!("  Parvis is serving {scheme}://{host}:{}/", bound.port());
    println!("  Data directory: {}", config.data_dir.display());
    if config.tls.mode == TlsMode::SelfSigned {
        println!("  TLS: self-signed certificate (your browser will ask you to accept it once)");
    }
    super::init::print_admin(report);
    if let Some(pw) = demo_password {
        println!("  Demo people (password for all: {pw}):");
        println!("    claire.martin@lumen.example     internal, CEO");
        println!("    sofia.almeida@lumen.example     internal, project manager");
        println!("    ingrid.solberg@nordhavn.example client (Nordhavn Logistics)");
        println!("    marc.verdier@verdier.example    supplier (Atelier Verdier)");
        println!(
            "  Partner portal (clients and suppliers): {scheme}://{}:{}/",
            crate::demo::PARTNER_HOST,
            bound.port()
        );
    }
    println!();
}
