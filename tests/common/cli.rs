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
    let dir = scratch_root().join(format!("{file}-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// This test process's folder of scratch folders:
/// `target/tmp/scratch/<binary>-<pid>`, inside the build's own folder and
/// never the system's temporary folder, which a run of the suite filled
/// with some 50 MB each time. The folders an earlier run of the same test
/// binary left are removed first, once its process has ended: the last
/// run's files stay to look at, and two runs at once keep their own.
pub fn scratch_root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch");
        let binary = module_path!().split("::").next().unwrap_or("tests");
        for entry in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ended = name
                .strip_prefix(binary)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| !Path::new("/proc").join(pid.to_string()).exists());
            if ended {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let root = base.join(format!("{binary}-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("scratch folder in target/tmp");
        root
    })
}
