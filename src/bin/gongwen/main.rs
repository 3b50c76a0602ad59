//! The `gongwen` command: a thin shell over the library. It parses flags, converts them once into
//! library types, calls the library, and renders.

mod analyze;
mod archive;
mod args;
mod check;
mod demo;
mod dicts;
mod outline;
mod search;
mod segment;
mod serve;
mod show;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// mimalloc keeps freed memory for reuse: reading a stored text per hit and jieba's many small
/// allocations no longer fault fresh pages in from the kernel each time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done.
    Success,
    /// Some inputs failed; the rest were done.
    Partial,
    /// Nothing could be done.
    Failure,
}

impl Outcome {
    /// The outcome of a batch with `ok` successes and `failed` failures.
    pub fn of_batch(ok: usize, failed: usize) -> Outcome {
        match (ok, failed) {
            (_, 0) => Outcome::Success,
            (0, _) => Outcome::Failure,
            _ => Outcome::Partial,
        }
    }

    fn code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Partial => ExitCode::from(1),
            Outcome::Failure => ExitCode::from(2),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dir = archive::dir(cli.archive.as_deref());
    let result = match cli.command {
        Command::Add(args) => archive::add(&dir, &args),
        Command::List(args) => archive::list(&dir, &args),
        Command::Remove(args) => archive::remove(&dir, &args),
        Command::Search(args) => search::run(&dir, &args),
        Command::Show(args) => show::run(&dir, &args),
        Command::Outline(args) => outline::run(&dir, &args),
        Command::Segment(args) => segment::run(&args),
        Command::Analyze(args) => analyze::run(&dir, &args),
        Command::Check(args) => check::run(&dir, &args),
        Command::Demo(args) => demo::run(&args),
        Command::Serve(args) => serve::run(&dir, &args),
    };
    match result {
        Ok(outcome) => outcome.code(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "gongwen: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints a non-fatal error about one input to stderr.
pub fn report_error(err: &dyn std::fmt::Display) {
    let _ = writeln!(io::stderr(), "gongwen: {err}");
}

/// Prints a notice (something passed over on purpose) to stderr.
pub fn report_notice(notice: &dyn std::fmt::Display) {
    let _ = writeln!(io::stderr(), "gongwen: notice: {notice}");
}

/// Prints a warning that names its own place (`manifest.csv:7: …`) to stderr.
pub fn report_warning_line(warning: &dyn std::fmt::Display) {
    let _ = writeln!(io::stderr(), "gongwen: warning: {warning}");
}

/// Prints a warning about one input to stderr.
pub fn report_warning(path: &std::path::Path, warning: &dyn std::fmt::Display) {
    let _ = writeln!(
        io::stderr(),
        "gongwen: warning: {}: {warning}",
        path.display()
    );
}

/// The temporary file beside `path` that [`write_output`] writes first.
fn temporary(path: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file name", path.display()))?;
    Ok(dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Checks, before the work that fills it, that an output file can be written: its directory
/// exists and takes a file (one is created and removed at once), and the path is no directory.
/// A report that could not be written would otherwise be found out only after the analysis.
pub fn check_output(path: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    if path.is_dir() {
        anyhow::bail!("{}: is a directory, not a file name", path.display());
    }
    let tmp = temporary(path)?;
    std::fs::File::create(&tmp).with_context(|| {
        let dir = tmp.parent().unwrap_or(std::path::Path::new("."));
        if dir.is_dir() {
            format!("{}: cannot write into {}", path.display(), dir.display())
        } else {
            format!("{}: no directory {}", path.display(), dir.display())
        }
    })?;
    let _ = std::fs::remove_file(&tmp);
    Ok(())
}

/// Writes a report file whole or not at all: to a temporary file beside it, then renamed; the
/// temporary file is removed when either step fails.
pub fn write_output(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    let tmp = temporary(path)?;
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("{}: cannot write", path.display()))
}
