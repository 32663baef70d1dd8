//! The command line, as clap definitions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use unleashx::OperationId;

/// The exit-code and environment section shown at the end of `--help`; the
/// variables' names are the library's and the CLI's own (`crate::env`).
pub fn after_help() -> String {
    format!(
        r#"Credentials:
  `login` stores the login token; `token generate` and `token get` store the API token they
  print, in credentials.json under $XDG_CONFIG_HOME/unleashx/ (~/.config/unleashx/), mode
  0600, one entry per --base-url. --no-store or {no_store}=1 skips storing.
  A command that needs a token takes the first of: --token-stdin (the first line of stdin);
  {login} (token generate, token get) or {api} (token verify,
  customer ...); the stored file. `api` takes the one its operation's security names and
  stores nothing. There is no flag taking a token value.
  `auth status` shows what is stored (masked); `auth logout` forgets it.

Output:
  json (default): one JSON object on stdout with the response's documented fields (`api`:
  the response body as the spec documents it); an error is one JSON object on stderr:
  {{"error":{{"kind","status","code","message"}}}}.
  text: `field: value` lines on stdout (`api`: the body, indented); an error is one line
  `error: ...` on stderr.

Exit codes:
  0  success
  1  the output or the credentials file could not be written (a closed stdout is not an
     error)
  2  usage error, or input refused before anything was sent (bad flag, missing token,
     malformed customer id, invalid configuration, a credentials file that is corrupt or
     readable by others)
  3  the API answered with an error (e.g. INVALID_OTP, CUSTOMER_ID_NOT_FOUND, an
     invalid token for `token verify`)
  4  transport failure, timeout, or a response the API does not document
"#,
        no_store = crate::env::NO_STORE,
        login = crate::env::LOGIN_TOKEN,
        api = crate::env::API_TOKEN,
    )
}

/// The UnleashX token and user API from a shell.
#[derive(Debug, Parser)]
#[command(
    name = "unleashx",
    bin_name = "unleashx",
    version,
    about = "The UnleashX token and user API from a shell",
    after_help = after_help(),
    term_width = 100,
    propagate_version = true,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,

    /// The API's origin.
    #[arg(
        long,
        global = true,
        env = crate::env::BASE_URL,
        hide_env_values = true,
        value_name = "URL",
        default_value = unleashx::DEFAULT_BASE_URL
    )]
    pub base_url: String,

    /// Output format [default: json; text for demo].
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// Read the token the command needs from the first line of stdin (instead of its
    /// variable or the stored file).
    #[arg(long, global = true, help = format!(
        "Read the token the command needs from the first line of stdin (instead of\n{} / {} or the stored file)",
        crate::env::LOGIN_TOKEN, crate::env::API_TOKEN
    ))]
    pub token_stdin: bool,

    /// Do not store the tokens that login, token generate and token get print.
    #[arg(
        long,
        global = true,
        env = crate::env::NO_STORE,
        value_parser = clap::builder::FalseyValueParser::new(),
        hide_env_values = true
    )]
    pub no_store: bool,

    /// Total time limit of each API call, in seconds (retries included).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Trace to stderr: -v info, -vv debug, -vvv trace (secrets are never logged).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object.
    Json,
    /// Human-readable lines.
    Text,
}

/// The command groups.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with a one-time password: without an OTP the server sends one;
    /// with it, prints the login token.
    Login(LoginArgs),
    /// API tokens: generate and get (login token), verify (API token).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Customers: onboard one, mint a token for one (API token).
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Call any operation of openapi.yaml by its operationId with a JSON body, as `gh api`
    /// does; prints the answer's JSON. `--list` shows every operation.
    #[command(after_help = API_AFTER_HELP)]
    Api(ApiArgs),
    /// Run the whole workflow against an in-process simulator (no network, no setup).
    Demo,
    /// The local simulator of the API.
    #[command(subcommand)]
    Mock(MockCommand),
    /// Probe --base-url with side-effect-free calls and compare each answer with
    /// openapi.yaml (uses the token variables, never the stored file).
    #[command(about = format!(
        "Probe --base-url with side-effect-free calls and compare each answer with \
         openapi.yaml: exit 0 nothing contradicted, 3 something is, 4 unreachable. \
         Uses {} and {} when set (never the stored file)",
        crate::env::LOGIN_TOKEN, crate::env::API_TOKEN
    ), long_about = None)]
    Doctor,
    /// Stored credentials: show them, or forget them.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder.
    Man(ManArgs),
}

/// `auth ...`.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Show the tokens in use for --base-url, masked, and where each comes from.
    Status(StatusArgs),
    /// Forget the tokens stored for --base-url (the server is not told; tokens stay
    /// valid until they expire).
    Logout,
}

/// `auth status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Ask the server whether each token is accepted (get-token for the login token,
    /// verify for the API token); exit 3 if one is refused.
    #[arg(long)]
    pub check: bool,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `unleashx.1` and one page per command (`unleashx-token-get.1`, ...) into
    /// this folder instead of printing `unleashx.1`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The account's email.
    #[arg(long, value_name = "EMAIL")]
    pub username: String,

    /// The one-time password from step 1 (prefer --otp-stdin: flags end up in shell
    /// history and `ps`).
    #[arg(long, value_name = "CODE", conflicts_with = "otp_stdin")]
    pub otp: Option<String>,

    /// Read the one-time password from the first line of stdin.
    #[arg(long)]
    pub otp_stdin: bool,
}

/// `token ...`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint a new API token (needs the login token).
    Generate,
    /// Print the most recent API token with the account's email and workspace (needs the
    /// login token).
    Get,
    /// Check that the API token is valid: exit 0 if it is, 3 if not (needs the API token).
    Verify,
}

/// `customer ...`.
#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Create a customer (user, company, workspace) and print its customer id
    /// (`customer_salt`) (needs the API token).
    Onboard(OnboardArgs),
    /// Mint an API token for a customer (needs the API token).
    Token(CustomerTokenArgs),
}

/// `customer onboard`.
#[derive(Debug, Args)]
pub struct OnboardArgs {
    /// Email of the new user (must not be registered yet).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// First name of the new user.
    #[arg(long, value_name = "NAME")]
    pub first_name: String,
    /// Last name of the new user.
    #[arg(long, value_name = "NAME")]
    pub last_name: String,
    /// Name of the new company (must be unique).
    #[arg(long, value_name = "NAME")]
    pub company: String,
}

/// `customer token`.
#[derive(Debug, Args)]
pub struct CustomerTokenArgs {
    /// The 12-digit customer id (`customer_salt` from onboard).
    #[arg(long, value_name = "ID")]
    pub customer_id: String,
    /// A friendly name for the token.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Days until the token expires (at least 1); omitted, it never expires.
    #[arg(long, value_name = "DAYS")]
    pub expiration_days: Option<u32>,
}

/// `api`.
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The operation's operationId (`unleashx api --list` shows them).
    #[arg(
        value_name = "OPERATION",
        required_unless_present = "list",
        value_parser = clap::builder::PossibleValuesParser::new(OperationId::ALL.map(OperationId::as_str)),
        hide_possible_values = true
    )]
    pub operation: Option<String>,
    /// A body field NAME=VALUE (repeatable): true, false, null and numbers become JSON
    /// values, anything else a string.
    #[arg(
        short = 'F',
        long = "field",
        value_name = "NAME=VALUE",
        conflicts_with = "input"
    )]
    pub fields: Vec<String>,
    /// A body field NAME=VALUE whose value stays a string (repeatable).
    #[arg(
        short = 'f',
        long = "raw-field",
        value_name = "NAME=VALUE",
        conflicts_with = "input"
    )]
    pub raw_fields: Vec<String>,
    /// Read the JSON body from FILE (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Print every operation: operationId, method, path and the credential it needs.
    #[arg(long, conflicts_with_all = ["operation", "fields", "raw_fields", "input"])]
    pub list: bool,
}

const API_AFTER_HELP: &str = "\
The body is --input's JSON, or an object of the --field/--raw-field values, or none ({} for
an operation that takes a body). A body the operation's request schema refuses is exit 2,
before anything is sent. The credential is the one the operation's security names, found as
for the other commands; nothing is stored. Examples:
  unleashx api --list
  unleashx api get_token_by_customer_id -f customer_id=048372910564 -F expiration_days=30
  echo '{\"username\":\"me@example.com\"}' | unleashx api login --input -
";

/// `mock ...`.
#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// Run the simulator: prints one JSON line with `base_url` when listening, stops on
    /// Ctrl-C (SIGINT) or SIGTERM.
    Serve(unleashx_mock::cli::ServeOptions),
}

/// `--timeout`: a positive number of seconds (decimals allowed).
pub fn parse_timeout(raw: &str) -> Result<Duration, String> {
    let secs: f64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not a number of seconds"))?;
    if !secs.is_finite() || secs <= 0.0 {
        return Err(format!("{raw:?} must be a number of seconds above 0"));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{raw:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        for bad in ["0", "-1", "abc", "", "NaN", "inf", "1e30"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
