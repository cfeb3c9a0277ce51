//! The local server's command line.

use std::net::{IpAddr, SocketAddr};

use malgomo_sim::accounts;

pub const USAGE: &str = "\
Usage: malgomo-mcp [--port N] [--bind IP] [--demo]
       malgomo-mcp --create-table

  --port N    listen port (default: $PORT, else 8080)
  --bind IP   listen address (default 127.0.0.1; a non-loopback address
              turns off the loopback-only origin guard — set ALLOWED_HOSTS)
  --demo      start the built-in MalGomo simulator and use it as the backend
  --create-table
              create the DynamoDB table named by DYNAMODB_TABLE (on-demand,
              TTL on); idempotent; then exit
  --help      this text

Configuration comes from the environment (MALGOMO_API_BASE, SUPABASE_URL,
SUPABASE_ANON_KEY, PUBLIC_URL, ...); see README.md.";

#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub port: Option<u16>,
    pub bind: Option<IpAddr>,
    pub demo: bool,
    pub help: bool,
    pub create_table: bool,
}

impl Args {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--demo" => parsed.demo = true,
                "--create-table" => parsed.create_table = true,
                "--help" | "-h" => parsed.help = true,
                "--port" => {
                    let value = args.next().ok_or("--port needs a value")?;
                    parsed.port = Some(
                        value
                            .parse()
                            .map_err(|_| format!("--port: not a port number: {value:?}"))?,
                    );
                }
                "--bind" => {
                    let value = args.next().ok_or("--bind needs a value")?;
                    parsed.bind = Some(
                        value
                            .parse()
                            .map_err(|_| format!("--bind: not an IP address: {value:?}"))?,
                    );
                }
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(parsed)
    }
}

/// Environment the demo forces: both upstreams at the simulator.
pub fn demo_overrides(simulator: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MALGOMO_API_BASE", simulator.to_owned()),
        ("SUPABASE_URL", simulator.to_owned()),
        ("SUPABASE_ANON_KEY", accounts::DEMO_ANON_KEY.to_owned()),
    ]
}

/// What the server prints when it is up.
pub fn banner(local: SocketAddr, demo: bool, public_url: Option<&url::Url>) -> String {
    let base = public_url.map_or_else(
        || format!("http://{local}"),
        |url| url.as_str().trim_end_matches('/').to_owned(),
    );
    let mut text = format!(
        "malgomo-mcp listening on http://{local}\n  MCP endpoint: {base}/mcp\n  docs:         {base}/docs\n"
    );
    if demo {
        text.push_str("\nDemo mode: the MalGomo backend and Supabase auth are simulated in-process.\nDemo accounts (call malgomo_login with one):\n");
        text.push_str(&accounts::table());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn parses_flags() {
        let args = parse(&["--demo", "--port", "9000", "--bind", "0.0.0.0"]).unwrap();
        assert!(args.demo && !args.create_table);
        assert!(parse(&["--create-table"]).unwrap().create_table);
        assert_eq!(args.port, Some(9000));
        assert_eq!(args.bind, Some("0.0.0.0".parse().unwrap()));
        assert_eq!(parse(&[]).unwrap(), Args::default());
    }

    #[test]
    fn refuses_bad_arguments() {
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--bind", "nope"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
