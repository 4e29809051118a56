//! Command-line definitions (clap derive); `main.rs` dispatches on them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Turn YAML briefing sources into PDF briefing notes.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, propagate_version = true)]
pub struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// What `brief templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List the built-in templates.
    List,
    /// Write a built-in template as an editable folder: main.md, theme.yaml
    /// with every key, locales/en.yaml with every phrase.
    Export {
        /// The built-in template (see `brief templates`).
        name: String,
        /// The folder to write; it may exist, but not the files.
        dir: PathBuf,
        /// Replace the template's files where they exist.
        #[arg(long)]
        force: bool,
    },
    /// Report every problem of a template folder at once, each located:
    /// theme keys and values, templates, fonts, wording, and rendering a brief.
    Check {
        /// The template folder.
        dir: PathBuf,
        /// The brief rendered through it (default: the starter of `brief new`).
        #[arg(long, value_name = "SOURCE")]
        brief: Option<PathBuf>,
    },
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check briefing sources and report every problem.
    Check {
        /// Files, or folders searched for *.yaml and *.yml.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Also check this template folder, every problem at once, and render each brief through it.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// The distribution policy each brief's recipients are checked
        /// against (default: BRIEF_POLICY, else brief.toml's `policy`).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Fail on a number typed in the text that contradicts the figure
        /// its sentence names (a warning otherwise).
        #[arg(long)]
        strict_figures: bool,
    },
    /// Build briefing sources into PDF briefing notes.
    Build(BuildArgs),
    /// Preview a brief (or every brief of a folder) in the browser: its pages
    /// as they will print, rebuilt on every save, problems shown over the
    /// last good pages, a click on a text naming its field and source line.
    Serve(ServeArgs),
    /// Bind briefs into one summit book: cover, schedule, each brief in meeting order.
    Book(BookArgs),
    /// Send each brief's PDF to its distribution list over SMTP.
    Send(SendArgs),
    /// Export each figure of a brief as a chart of its own, for slides and email bodies.
    Charts {
        /// The briefing source.
        source: PathBuf,
        /// Output folder; files are named after the figure ids.
        #[arg(short, long, default_value = "out")]
        output: PathBuf,
        /// File format.
        #[arg(long, value_enum, default_value_t = ChartFormat::Svg)]
        format: ChartFormat,
        /// Replace files that no run of brief wrote, or that another brief's charts wrote.
        #[arg(long)]
        force: bool,
    },
    /// Show what changed between two versions of a brief, by meaning (exit 0 same, 1 different, 2 trouble).
    Diff(DiffArgs),
    /// Take a DOCX reviewed in Word (tracked changes, comments) back into its
    /// source: print the changes by meaning with each comment under its
    /// field, and with --write or -o write the new source, changing only the
    /// edited values (exit 0 no change, 1 changes, 2 trouble).
    Review(ReviewArgs),
    /// Check the signatures of signed PDFs: integrity, coverage, signer, time,
    /// embedded source (exit 0 valid, 1 invalid, 2 trouble).
    Verify {
        /// The PDFs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the briefing format, for editors.
    Schema,
    /// List the built-in templates, export one to make your own, or check a template folder.
    Templates {
        /// What to do (default: list).
        #[command(subcommand)]
        action: Option<TemplatesAction>,
    },
    /// List the languages briefs can be written in, or say what a tag resolves to.
    Languages {
        /// A BCP 47 tag to resolve, e.g. pt-BR.
        tag: Option<String>,
    },
    /// Write a commented starter brief that passes `brief check`.
    New {
        /// Where to write it.
        file: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the effective settings and where each comes from (flag,
    /// environment, brief.toml:line, default), for SOURCE's folder or this one.
    Config {
        /// A briefing source or folder; its brief.toml is found by walking up.
        source: Option<PathBuf>,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write every page under a manual folder:
    /// man1/brief.1, man1/brief-COMMAND.1 for each command and
    /// man5/brief-format.5, the briefing format reference.
    Man {
        /// The manual folder to write into, e.g. ~/.local/share/man.
        dir: Option<std::path::PathBuf>,
    },
}

/// Arguments of `brief build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Files, or folders searched for *.yaml and *.yml.
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// Output file (one source) or folder (default: brief.toml's `output`, else out/).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Paper size (default: brief.toml's `paper`, else the template's, A4 for the built-in ones).
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Template: a folder with main.md, or a name: a folder of brief.toml's
    /// `template_dirs`, else a built-in (see `brief templates`).
    #[arg(long, value_name = "NAME|DIR")]
    pub template: Option<String>,
    /// Build these built-in templates (products) for every brief, e.g. one-pager,talking-points.
    #[arg(long, value_delimiter = ',', value_name = "NAME,...", value_parser = product_name)]
    pub products: Vec<String>,
    /// Build every built-in template (product) for every brief.
    #[arg(long, conflicts_with_all = ["products", "template"])]
    pub all_products: bool,
    /// Briefs built at once (default: all cores; at most 256).
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Stop at the first failure.
    #[arg(long)]
    pub fail_fast: bool,
    /// Rebuild even what is up to date, and replace PDFs that another source wrote.
    #[arg(long)]
    pub force: bool,
    /// Build only shard K of N (1-based): a stable share of the sources, for job arrays.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Write a JSON record of the run (per brief: output, pages, bytes, sha256, status, diagnostics).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Also write a ready-to-send email (.eml, opens as a draft) beside each PDF.
    #[arg(long)]
    pub eml: bool,
    /// The email's sender, e.g. "Europe Desk <desk@example.gov>" (default:
    /// BRIEF_SMTP_FROM, else brief.toml's [email] from; --eml refuses without one).
    #[arg(long, requires = "eml")]
    pub from: Option<String>,
    /// With --eml: also write the email of a brief no one cleared, its
    /// pages and subject marked DRAFT (refused otherwise).
    #[arg(long, requires = "eml")]
    pub allow_draft: bool,
    /// The distribution policy the emails' recipients are checked against
    /// (default: BRIEF_POLICY, else brief.toml's `policy`; see docs/policy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Keep running and rebuild what changes (sources, template, brief.toml), until interrupted.
    #[arg(long)]
    pub watch: bool,
    /// How --watch notices changes: the system's file events, or polling.
    #[arg(long, value_enum, default_value_t = Watcher::Native, requires = "watch")]
    pub watcher: Watcher,
    /// Show what changed since an older version: a box on page 1 and change bars.
    /// OLD is a YAML source, a PDF built with --embed-source, or git:REV (each
    /// brief's own path at that git revision; the only choice for several briefs).
    #[arg(long, value_name = "OLD")]
    pub changes_since: Option<String>,
    /// Embed the brief's validated model (canonical JSON, never the YAML text)
    /// in the PDF, so a later build can show the changes since it. Off by default.
    #[arg(long)]
    pub embed_source: bool,
    /// What to write: a tagged PDF, or a Word document for clearance in
    /// Word (`brief review` takes the edits back into the source).
    #[arg(long, value_enum, default_value_t = BuildFormat::Pdf)]
    pub format: BuildFormat,
    /// Signing.
    #[command(flatten)]
    pub sign: SignArgs,
}

/// What `brief build` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    /// A tagged PDF.
    Pdf,
    /// A Word document (DOCX): Word's styles, fields in content controls.
    Docx,
}

/// Arguments of `brief serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A briefing source, or a folder of them (an index of every brief).
    pub source: PathBuf,
    /// The port to listen on; 0 picks a free one. The address is printed
    /// as the first line of the output.
    #[arg(long, default_value_t = 8484)]
    pub port: u16,
    /// Open the page in the desktop's browser.
    #[arg(long)]
    pub open: bool,
    /// Template: a folder with main.md, or a name: a folder of brief.toml's
    /// `template_dirs`, else a built-in (see `brief templates`).
    #[arg(long, value_name = "NAME|DIR", conflicts_with = "product")]
    pub template: Option<String>,
    /// Preview every brief as this built-in template (product), e.g. one-pager.
    #[arg(long, value_name = "NAME", value_parser = product_name)]
    pub product: Option<String>,
    /// Paper size (default: brief.toml's `paper`, else the template's).
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// The address to listen on (default: 127.0.0.1 and ::1, this machine
    /// only). Another address lets other machines see the briefs: there is
    /// no password.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::IpAddr>,
    /// Offer an editor link for a clicked text: a URL such as
    /// 'vscode://file/{file}:{line}:{col}', or a command such as
    /// 'code -g {file}:{line}' (run on the page's request, on the brief's own
    /// source only).
    #[arg(long, env = "BRIEF_EDITOR", value_name = "URL|COMMAND")]
    pub editor: Option<String>,
    /// How to notice changes: the system's file events, or polling (for
    /// network shares and containers without them).
    #[arg(long, value_enum, default_value_t = Watcher::Native)]
    pub watcher: Watcher,
}

/// How `--watch` and `serve` notice changed files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Watcher {
    /// The operating system's file events, polling where there are none.
    Native,
    /// Look at the files' sizes and times several times a second.
    Poll,
}

impl From<Watcher> for brief::watch::Mode {
    fn from(w: Watcher) -> Self {
        match w {
            Watcher::Native => brief::watch::Mode::Native,
            Watcher::Poll => brief::watch::Mode::Poll,
        }
    }
}

/// How to sign each PDF written (`build`, `book`).
#[derive(Debug, Clone, clap::Args)]
pub struct SignArgs {
    /// Sign each PDF (PAdES B-B, an invisible signature field) with the key
    /// and certificate in this PKCS#12 file; its password is read from
    /// BRIEF_SIGN_PASSWORD.
    #[arg(long, value_name = "KEY.p12", conflicts_with_all = ["sign_key", "sign_cert"])]
    pub sign: Option<PathBuf>,
    /// Sign each PDF with this PEM private key (unencrypted; with --sign-cert).
    #[arg(long, value_name = "KEY.pem", requires = "sign_cert")]
    pub sign_key: Option<PathBuf>,
    /// The signer's PEM certificate, optionally followed by its chain (with --sign-key).
    #[arg(long, value_name = "CERT.pem", requires = "sign_key")]
    pub sign_cert: Option<PathBuf>,
}

/// Arguments of `brief diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old version: a YAML source, a PDF built with --embed-source, or
    /// git:REV (NEW's path at that git revision).
    pub old: String,
    /// The new version: a YAML source or a PDF built with --embed-source.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
}

/// Arguments of `brief review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The document as it came back from review (built with --format docx).
    pub reviewed: PathBuf,
    /// The briefing source it was built from.
    pub source: PathBuf,
    /// Write the new source over SOURCE (only the edited values change).
    #[arg(long, conflicts_with = "output")]
    pub write: bool,
    /// Write the new source to this file instead (never the source itself:
    /// that is --write).
    #[arg(short, long, value_name = "NEW.yaml")]
    pub output: Option<PathBuf>,
    /// The document was made from an older version of the source: take the
    /// edits where the fields are still as they were, and report the rest.
    #[arg(long)]
    pub rebase: bool,
    /// Replace a file at -o that brief did not write.
    #[arg(long)]
    pub force: bool,
    /// Template the document was built with, when not a built-in one.
    #[arg(long, value_name = "NAME|DIR")]
    pub template: Option<String>,
}

/// Formats of `brief diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per change, changed words marked [-old-]{+new+}.
    Human,
    /// JSON for tools.
    Json,
}

/// Arguments of `brief book`.
#[derive(Debug, clap::Args)]
pub struct BookArgs {
    /// Files, or folders searched for *.yaml and *.yml.
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// The book's PDF file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// The book's title (default: the meetings' common place, else their kind).
    #[arg(long, value_parser = plain_text)]
    pub title: Option<String>,
    /// The product each brief is built as.
    #[arg(long, default_value = brief::render::DEFAULT, value_parser = product_name)]
    pub product: String,
    /// A template folder (main.md, theme.yaml) to build every brief with
    /// instead; its theme may rank the house's markings (`markings:`).
    #[arg(long, value_name = "DIR", conflicts_with = "product")]
    pub template: Option<std::path::PathBuf>,
    /// Language of the cover and schedule (default: the briefs' common one, else en).
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    /// Paper size (default: the template's, A4 for the built-in ones).
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// The principal's time zone, an IANA name (e.g. Europe/Brussels): the
    /// cover and schedule give each meeting's time converted into it, its
    /// own after it (default: brief.toml's [book] time_zone, else none).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Also write a ready-to-send email (.eml) beside the book, to everyone
    /// the briefs are distributed to.
    #[arg(long)]
    pub eml: bool,
    /// Show each brief's changes since its own path at git revision REV:
    /// a changes box on its first page and change bars.
    #[arg(long, value_name = "git:REV", value_parser = git_revision)]
    pub changes_since: Option<String>,
    /// Replace a file at the output names that no run of brief wrote, or
    /// that another source wrote.
    #[arg(long)]
    pub force: bool,
    /// The email's sender (default: BRIEF_SMTP_FROM, else brief.toml's
    /// [email] from; --eml refuses without one).
    #[arg(long, requires = "eml")]
    pub from: Option<String>,
    /// Address the email to these instead (with --eml): an address list,
    /// `a@x, "Smith, John" <j@x>` (a comma inside quotes is part of the name).
    #[arg(long, value_name = "ADDR,...", requires = "eml")]
    pub to: Vec<String>,
    /// With --eml: bind briefs no one cleared too, their pages and the
    /// subject marked DRAFT (refused otherwise).
    #[arg(long, requires = "eml")]
    pub allow_draft: bool,
    /// The distribution policy the email's recipients are checked against
    /// (default: BRIEF_POLICY, else brief.toml's `policy`; see docs/policy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Signing.
    #[command(flatten)]
    pub sign: SignArgs,
}

fn git_revision(text: &str) -> Result<String, String> {
    match text.strip_prefix("git:") {
        Some(rev) if !rev.is_empty() => Ok(rev.to_string()),
        _ => Err(format!(
            "`{text}` is not git:REV (a book compares each brief with its own path at a revision)"
        )),
    }
}

/// Text for a page, held to what a source's text is: no control character
/// (a line break neither: a title is one line) and no direction control,
/// which would reverse the words after it.
fn plain_text(text: &str) -> Result<String, String> {
    match text.chars().find(|&c| brief::source::tree::refused(c) || c == '\n') {
        Some(c) => Err(format!(
            "it holds the {} U+{:04X}, which a page must not get",
            brief::escape::refused_kind(c),
            c as u32
        )),
        None => Ok(text.to_string()),
    }
}

fn product_name(text: &str) -> Result<String, String> {
    let names: Vec<&str> = brief::render::builtin_names().collect();
    if names.contains(&text) {
        Ok(text.to_string())
    } else {
        Err(format!("no built-in template `{text}` (one of: {})", names.join(", ")))
    }
}

/// Most briefs built at once: each is a thread, and more threads than this
/// only cost memory (a brief is built on one core).
pub const MAX_JOBS: usize = 256;

fn parse_jobs(text: &str) -> Result<usize, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=MAX_JOBS as u64).contains(&n) => Ok(n as usize),
        Ok(0) => Err("at least 1 (leave -j out to use every core)".to_string()),
        _ => Err(format!(
            "from 1 to {MAX_JOBS} briefs at once (this machine has {cores} cores; leave -j out to use them all)"
        )),
    }
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    brief::batch::parse_shard(text)
}

/// Arguments of `brief send`. Server settings come from flags, the
/// environment (`BRIEF_SMTP_*`) or brief.toml, never from the brief; the
/// password only from the environment, so it never appears in shell history,
/// process lists or a shared file.
#[derive(Debug, Clone, clap::Args)]
pub struct SendArgs {
    /// Briefing sources (files or folders); their PDFs are looked up in --output.
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// The folder the PDFs were built into (default: brief.toml's `output`, else out/).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Sender address, e.g. "Europe Desk <desk@example.gov>" (default:
    /// BRIEF_SMTP_FROM, else brief.toml's [email] from).
    #[arg(long)]
    pub from: Option<String>,
    /// SMTP server (default: BRIEF_SMTP_SERVER, else brief.toml's [smtp] server, else localhost).
    #[arg(long)]
    pub server: Option<String>,
    /// SMTP port (default: BRIEF_SMTP_PORT, else brief.toml's, else 25, 587 or 465 by security).
    #[arg(long)]
    pub port: Option<u16>,
    /// Connection security: none, starttls or tls (default: BRIEF_SMTP_SECURITY,
    /// else brief.toml's, else starttls). `none` only to a loopback relay
    /// (127.0.0.1, ::1, localhost).
    #[arg(long)]
    pub security: Option<String>,
    /// User name for SMTP login; the password is read from BRIEF_SMTP_PASSWORD.
    #[arg(long, env = "BRIEF_SMTP_USER")]
    pub user: Option<String>,
    /// A PEM file of certificate authorities to trust besides the system's
    /// (an organisation's own CA). The server's certificate is always verified.
    #[arg(long, env = "BRIEF_SMTP_CA", value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Print who would receive what, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send briefs no one cleared (drafts) too, the subject marked DRAFT.
    #[arg(long)]
    pub allow_draft: bool,
    /// The distribution policy each brief's recipients, connection and
    /// signature are checked against (default: BRIEF_POLICY, else
    /// brief.toml's `policy`; see docs/policy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Warn when an attachment is larger than this many megabytes.
    #[arg(long, default_value_t = 10)]
    pub max_mb: usize,
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

/// Formats of exported charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    /// SVG with real text.
    Svg,
    /// A one-page PDF, fonts embedded.
    Pdf,
    /// A PNG at 144 dpi, rasterised from the same drawing.
    Png,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
