//! `malgomo-mcp`: the local server. Serves every route of the shared router
//! with hyper on `PORT` (or `--port`). `--demo` starts the upstream
//! simulator in-process and points the server at it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use malgomo::{App, Config, Host, telemetry};

mod cli;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let args = match cli::Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    if args.help {
        println!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("malgomo-mcp: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: cli::Args) -> Result<(), String> {
    // The demo's simulator must outlive the server; it is dropped last.
    let (simulator, overrides) = if args.demo {
        let sim = malgomo_sim::Simulator::start(0)
            .await
            .map_err(|err| format!("could not start the demo simulator: {err}"))?;
        let overrides = cli::demo_overrides(&sim.base_url());
        (Some(sim), overrides)
    } else {
        (None, Vec::new())
    };
    let config = Config::from_lookup(|name| {
        overrides
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
            .or_else(|| std::env::var(name).ok())
    })
    .map_err(|err| err.to_string())?;
    if args.create_table {
        return create_table(&config).await;
    }
    let ip = args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    config
        .check_bind(ip.is_loopback())
        .and_then(|()| config.check_local())
        .map_err(|err| err.to_string())?;
    let port = args.port.unwrap_or(config.port);
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, port))
        .await
        .map_err(|err| format!("cannot listen on {ip}:{port}: {err}"))?;
    let local = listener.local_addr().map_err(|err| err.to_string())?;
    let app = App::from_config(config, Host::local(ip.is_loopback()))
        .await
        .map_err(|err| err.to_string())?;
    app.check_store().await.map_err(|err| err.to_string())?;
    let app = Arc::new(app);
    println!(
        "{}",
        cli::banner(local, simulator.is_some(), app.config.public_url.as_ref())
    );
    malgomo::host::local::serve(app, listener, shutdown_signal())
        .await
        .map_err(|err| err.to_string())?;
    drop(simulator);
    Ok(())
}

async fn create_table(config: &Config) -> Result<(), String> {
    let table = config
        .dynamodb_table
        .as_deref()
        .ok_or("--create-table needs DYNAMODB_TABLE")?;
    let connection = malgomo::store::Connection::from_env().map_err(|err| err.to_string())?;
    let store = malgomo::store::DynamoStore::connect(connection, table);
    store.create_table().await.map_err(|err| err.to_string())?;
    println!("DynamoDB table {table:?} is ready (key pk, TTL on ttl)");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
