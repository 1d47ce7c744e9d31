//! How a subcommand's outcome becomes an exit code and a message on standard error.

use std::fmt;
use std::process::ExitCode;

/// Input the user can fix: exit 2 with this message alone on standard error.
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// An exact tie that the software must not break: exit 3 with this message.
#[derive(Debug)]
pub struct Tie(pub String);

impl fmt::Display for Tie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Tie {}

/// Turns a subcommand result into the documented exit code.
pub fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(bad) = error.downcast_ref::<BadInput>() {
                eprintln!("daihoi: {bad}");
                ExitCode::from(2)
            } else if let Some(tie) = error.downcast_ref::<Tie>() {
                eprintln!("daihoi: {tie}");
                ExitCode::from(3)
            } else {
                eprintln!("daihoi: {error:#}");
                ExitCode::from(1)
            }
        }
    }
}
