//! The `streetpress` command: parse the command line, run the command, print
//! problems, and choose the exit code (0 success, 1 content error, 2 usage error,
//! 3 a deploy that the server or the network stopped).

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use cmd::Failure;
use streetpress::build::BuildOptions;
use streetpress::serve::ServeOptions;

// A build makes and drops many small strings and JSON values on every
// thread; mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => cmd::build::run(BuildOptions {
            root,
            output,
            base_url,
            include_drafts: drafts,
        }),
        Command::Stats(args) => cmd::stats::run(&args),
        Command::Deploy(args) => cmd::deploy::run(&args),
        Command::Import(what) => cmd::import::run(&what),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::Check { root, format } => cmd::check::run(&root, format),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => cmd::serve::run(ServeOptions {
            root,
            port,
            bind,
            include_drafts: drafts,
        }),
        Command::New {
            kind,
            title,
            category,
            root,
        } => cmd::new::run(&root, kind, &title, category.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content) => ExitCode::from(1),
        Err(Failure::Deploy) => ExitCode::from(3),
        Err(Failure::Usage(problem)) => {
            eprintln!("{problem}");
            ExitCode::from(2)
        }
    }
}
