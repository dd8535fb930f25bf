//! The `streetpress` command: parse the command line, run the command, print
//! problems, and choose the exit code (0 success, 1 content error, 2 usage error).

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use cmd::Failure;
use streetpress::build::BuildOptions;

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
        Command::Init { dir } => cmd::init::run(&dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content) => ExitCode::from(1),
        Err(Failure::Usage(problem)) => {
            eprintln!("{problem}");
            ExitCode::from(2)
        }
    }
}
