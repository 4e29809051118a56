//! Runs the `brief` binary the way every end-to-end test does, and gives each test a scratch folder.
// Each test file uses what it needs of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate's root, where `briefs/`, `templates/` and `tests/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `brief` command with `args`, to run in the crate's root, with
/// `SOURCE_DATE_EPOCH` set to `epoch` or unset, and no colour or password
/// from the developer's environment; for a test that spawns it or adds to it.
pub fn command(args: &[&str], epoch: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_brief"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR")
        .env_remove("BRIEF_SMTP_PASSWORD")
        .env_remove("BRIEF_SIGN_PASSWORD")
        .env_remove("BRIEF_POLICY");
    if let Some(epoch) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    cmd
}

/// `brief args…` run in `dir` (see [`command`]).
pub fn brief_in(dir: &Path, args: &[&str], epoch: Option<&str>) -> Output {
    command(args, epoch).current_dir(dir).output().expect("runs brief")
}

/// `brief args…` run in the crate's root (see [`brief_in`]).
pub fn brief(args: &[&str], epoch: Option<&str>) -> Output {
    brief_in(&root(), args, epoch)
}

/// [`brief`] that must succeed; a failure fails the test with its stderr.
pub fn brief_ok(args: &[&str], epoch: Option<&str>) -> Output {
    let out = brief(args, epoch);
    assert!(out.status.success(), "brief {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A run's exit code (-1 when killed by a signal), standard output and error.
pub fn parts(out: &Output) -> (i32, String, String) {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// A fresh, empty scratch folder for the test `name` of this test file and process.
/// Named by the module path (`suite::batch::cli`, `verify::cli`): the files
/// of tests/suite.rs share one process, and two may name a test alike.
pub fn scratch(name: &str) -> PathBuf {
    let file = module_path!().trim_end_matches("::cli").replace("::", "-");
    let dir = std::env::temp_dir().join(format!("brief-{file}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
