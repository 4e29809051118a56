//! The Debian package as a user gets it: `tests/run` builds it with
//! `scripts/deb` and installs it with `dpkg -i` (BRIEF_DEB names the file);
//! this checks that the installed files are where Debian puts them and work.
//! A tier of its own (`test = false`): it needs the package installed.

use std::process::Command;

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed ({e}); run tests/run"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_installed_package_has_everything_where_debian_puts_it() {
    let deb =
        std::env::var("BRIEF_DEB").expect("BRIEF_DEB: tests/run builds and installs the package");
    let fields = run("dpkg-deb", &["--field", &deb, "Package", "Version", "Section"]);
    assert!(fields.contains("Package: brief"), "{fields}");
    assert!(fields.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))), "{fields}");
    let files = run("dpkg", &["-L", "brief"]);
    for path in [
        "/usr/bin/brief",
        "/usr/share/man/man1/brief.1.gz",
        "/usr/share/man/man1/brief-build.1.gz",
        "/usr/share/man/man5/brief-format.5.gz",
        "/usr/share/bash-completion/completions/brief",
        "/usr/share/zsh/vendor-completions/_brief",
        "/usr/share/fish/vendor_completions.d/brief.fish",
        "/usr/share/doc/brief/copyright",
        "/usr/share/doc/brief/LICENSE-APACHE",
        "/usr/share/doc/brief/fonts/OFL.txt",
    ] {
        assert!(files.lines().any(|l| l == path), "{path} not in the package:\n{files}");
        assert!(std::path::Path::new(path).exists(), "{path} not installed");
    }
    let version = run("/usr/bin/brief", &["--version"]);
    assert_eq!(version.trim(), format!("brief {}", env!("CARGO_PKG_VERSION")));
    // `man` finds the pages where it looks, with no MANPATH of ours.
    let page = run("man", &["-w", "brief-build"]);
    assert_eq!(page.trim(), "/usr/share/man/man1/brief-build.1.gz");
    assert_eq!(run("man", &["-w", "brief-format"]).trim(), "/usr/share/man/man5/brief-format.5.gz");
    let bash = std::fs::read_to_string("/usr/share/bash-completion/completions/brief").unwrap();
    assert!(bash.contains("complete") && bash.contains("brief"), "{bash:.200}");
    // The installed binary works alone: a starter brief, checked and built.
    let dir = std::env::temp_dir().join(format!("brief-package-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("first.yaml");
    run("/usr/bin/brief", &["new", source.to_str().unwrap()]);
    run("/usr/bin/brief", &["check", source.to_str().unwrap()]);
    let pdf = dir.join("first.pdf");
    run("/usr/bin/brief", &["build", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let _ = std::fs::remove_dir_all(&dir);
}
