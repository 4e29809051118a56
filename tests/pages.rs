//! Every page of every example brief, in every product, looks like its
//! reference image in `tests/ref/`: the record a reviewer reads when layout,
//! fonts, templates or the writer change. Pages are drawn by poppler's
//! `pdftoppm` at low resolution and compared with a tolerance; a page that
//! differs fails with a diff image in `target/ref-diff/`, and
//! `BRIEF_REF_UPDATE=1` accepts new pages (tests/ref/README.md).

#[path = "common/cli.rs"]
mod cli;
use cli::{brief_ok, root, scratch};
#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Resolution of the reference images: enough to see every line, block and
/// chart; few bytes in the repository.
const DPI: &str = "40";
/// A pixel differs when one of its channels moves by more than this (of
/// 255): room for the anti-aliasing of another poppler or FreeType to draw a
/// shade apart (only poppler 22.12 has been tried).
const PIXEL_TOLERANCE: u8 = 32;
/// A page differs when more than this share of its pixels differ: 7 of the
/// 154,908 pixels of an A4 page at 40 dpi. A letter added to a heading moves
/// 13; a full stop moves 1 or 2, which the PDF's bytes (tests/ref/sha256.txt)
/// catch, with a diff image all the same.
const MAX_DIFFERING: f64 = 5e-5;

/// A decoded page: width, height and 8-bit RGB samples.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

fn decode(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size().expect("a page fits in memory")];
    let info = reader.next_frame(&mut buf).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => buf.chunks(2).flat_map(|p| [p[0], p[0], p[0]]).collect(),
        other => panic!("{}: unexpected colour type {other:?}", path.display()),
    };
    Image { width: info.width, height: info.height, rgb }
}

fn encode(path: &Path, image: &Image) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), image.width, image.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&image.rgb).unwrap();
}

/// Whether the pixel at sample offset `i` differs beyond the tolerance.
fn differs(a: &Image, b: &Image, i: usize) -> bool {
    (0..3).any(|c| a.rgb[i + c].abs_diff(b.rgb[i + c]) > PIXEL_TOLERANCE)
}

/// How many pixels of two same-sized pages differ beyond the tolerance.
fn differing(a: &Image, b: &Image) -> usize {
    (0..a.rgb.len()).step_by(3).filter(|&i| differs(a, b, i)).count()
}

/// The reference, the actual page and the difference side by side: the
/// reference faded, each pixel that differs beyond the tolerance in red, and
/// within it in orange.
fn diff_image(reference: &Image, actual: &Image) -> Image {
    let (w, h) = (reference.width.max(actual.width), reference.height.max(actual.height));
    let gap = 4;
    let width = 3 * w + 2 * gap;
    let mut rgb = vec![160; (width * h * 3) as usize];
    let pixel = |img: &Image, x: u32, y: u32| -> Option<[u8; 3]> {
        (x < img.width && y < img.height).then(|| {
            let i = ((y * img.width + x) * 3) as usize;
            [img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]]
        })
    };
    for y in 0..h {
        for x in 0..w {
            let (r, a) = (pixel(reference, x, y), pixel(actual, x, y));
            let mut put = |panel: u32, p: [u8; 3]| {
                let i = ((y * width + panel * (w + gap) + x) * 3) as usize;
                rgb[i..i + 3].copy_from_slice(&p);
            };
            if let Some(r) = r {
                put(0, r);
            }
            if let Some(a) = a {
                put(1, a);
            }
            let most = match (r, a) {
                (Some(r), Some(a)) => r.iter().zip(a).map(|(r, a)| r.abs_diff(a)).max().unwrap(),
                _ => u8::MAX,
            };
            let faded =
                r.map_or(255, |r| 191 + (r.iter().map(|&c| c as u32).sum::<u32>() / 12) as u8);
            put(
                2,
                match most {
                    0 => [faded; 3],
                    1..=PIXEL_TOLERANCE => [255, 160, 0],
                    _ => [230, 0, 0],
                },
            );
        }
    }
    Image { width, height: h, rgb }
}

/// Where the test writes what a developer looks at: `target/ref-diff/`.
fn diff_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp is in target/")
        .join("ref-diff")
}

/// Each example's PDF per product, keyed by (source stem, product).
fn build_examples(dir: &Path) -> BTreeMap<(String, String), PathBuf> {
    let mut pdfs = BTreeMap::new();
    for (product, _, _) in brief::render::BUILTIN {
        let out = dir.join(product);
        let manifest = dir.join(format!("{product}.json"));
        let (out_arg, manifest_arg) = (out.to_str().unwrap(), manifest.to_str().unwrap());
        let args =
            ["build", "briefs", "--products", product, "-o", out_arg, "--manifest", manifest_arg];
        brief_ok(&args, Some("0"));
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
        for entry in manifest["briefs"].as_array().unwrap() {
            let source = Path::new(entry["source"].as_str().unwrap());
            let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
            let pdf = PathBuf::from(entry["output"].as_str().expect("every example builds"));
            pdfs.insert((stem, product.to_string()), pdf);
        }
    }
    pdfs
}

/// `pdftoppm`'s pages of `pdf`, in order; it numbers them with as many
/// digits as the last page needs.
fn render(pdf: &Path, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let prefix = dir.join("page");
    tool("pdftoppm", &["-r", DPI, "-png", pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let mut pages: Vec<(usize, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.strip_prefix("page-")?.parse().ok()?;
            Some((name, p))
        })
        .collect();
    pages.sort();
    assert!(pages.iter().enumerate().all(|(i, (n, _))| *n == i + 1), "{pages:?}");
    pages.into_iter().map(|(_, p)| p).collect()
}

/// Every PDF's pages, drawn by as many `pdftoppm` at once as there are cores.
fn render_all(
    pdfs: &BTreeMap<(String, String), PathBuf>,
    dir: &Path,
) -> BTreeMap<(String, String), Vec<PathBuf>> {
    let jobs: Vec<_> = pdfs.iter().collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(((stem, product), pdf)) = jobs.get(i) else { break done };
                        let pages = render(pdf, &dir.join(stem).join(product));
                        done.push(((stem.clone(), product.clone()), pages));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

/// `tests/ref/sha256.txt`: per example and product, the SHA-256 of its PDF.
fn read_hashes(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(name, hash)| (name.to_string(), hash.to_string()))
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_page_of_every_example_matches_its_reference_image() {
    let update = std::env::var("BRIEF_REF_UPDATE").is_ok_and(|v| v == "1");
    let refs = root().join("tests/ref");
    let hash_file = refs.join("sha256.txt");
    let diffs = diff_dir();
    let _ = std::fs::remove_dir_all(&diffs);
    let work = scratch("pages");
    let pdfs = build_examples(&work);
    let examples = std::fs::read_dir(root().join("briefs")).unwrap();
    let yaml =
        examples.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "yaml"));
    let products = brief::render::BUILTIN.len();
    assert_eq!(pdfs.len(), yaml.count() * products, "every example in every product");

    let rendered = render_all(&pdfs, &work.join("png"));
    let old_hashes = read_hashes(&hash_file);
    let mut hashes = BTreeMap::new();
    let mut problems = Vec::new();
    let mut accepted = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for ((stem, product), pdf) in &pdfs {
        let key = format!("{stem}/{product}.pdf");
        let hash = sha256(&std::fs::read(pdf).unwrap());
        let bytes_changed = old_hashes.get(&key) != Some(&hash);
        let mut pixels_changed = false;
        let pages = &rendered[&(stem.clone(), product.clone())];
        for (number, page) in (1..).zip(pages) {
            let name = format!("{product}-{number}.png");
            let reference = refs.join(stem).join(&name);
            expected.insert(reference.clone());
            let label = format!("{stem}/{name}");
            let actual = decode(page);
            let want = reference.exists().then(|| decode(&reference));
            // What differs beyond the tolerance, and whether anything differs at all.
            let (message, beyond, exact) = match &want {
                None => (format!("{label}: no reference image"), true, false),
                Some(want) if (want.width, want.height) != (actual.width, actual.height) => {
                    let (w, h) = (want.width, want.height);
                    let size = format!("{}×{} pixels", actual.width, actual.height);
                    (format!("{label}: {size}, the reference {w}×{h}"), true, false)
                }
                Some(want) => {
                    let n = differing(want, &actual);
                    let total = (actual.width * actual.height) as usize;
                    let beyond = n as f64 > MAX_DIFFERING * total as f64;
                    let within = if beyond { "" } else { " (within the tolerance)" };
                    let message = format!("{label}: {n} of {total} pixels differ{within}");
                    (message, beyond, want.rgb == actual.rgb)
                }
            };
            pixels_changed |= !exact;
            // A page is shown when it differs visibly, or at all in a PDF whose bytes changed.
            if !beyond && (exact || !bytes_changed) {
                continue;
            }
            if update {
                std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
                std::fs::copy(page, &reference).unwrap();
                accepted.push(message);
                continue;
            }
            std::fs::create_dir_all(&diffs).unwrap();
            let base = format!("{stem}-{product}-{number}");
            let actual_path = diffs.join(format!("{base}-actual.png"));
            std::fs::copy(page, &actual_path).unwrap();
            let mut shown = format!("{message}\n    actual: {}", actual_path.display());
            if let Some(want) = &want {
                let diff_path = diffs.join(format!("{base}-diff.png"));
                encode(&diff_path, &diff_image(want, &actual));
                let diff_path = diff_path.display();
                shown.push_str(&format!(
                    "\n    reference | actual | differing pixels in red (orange within the tolerance): {diff_path}"
                ));
            }
            problems.push(shown);
        }
        if bytes_changed && !update {
            problems.push(if pixels_changed {
                format!("{key}: its bytes changed (tests/ref/sha256.txt)")
            } else {
                format!(
                    "{key}: its bytes changed, no pixel of its pages did: the change is in \
                     its structure, text layer or metadata (qpdf --qdf, pdftotext show it)"
                )
            });
        }
        hashes.insert(key, hash);
    }
    // A reference no page matches any more: its page, product or example is gone.
    let mut stale = Vec::new();
    for folder in std::fs::read_dir(&refs).unwrap().map(|e| e.unwrap().path()) {
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()) {
            if file.extension().is_some_and(|x| x == "png") && !expected.contains(&file) {
                stale.push(file);
            }
        }
    }
    for file in stale {
        let label = file.strip_prefix(&refs).unwrap().display().to_string();
        if update {
            std::fs::remove_file(&file).unwrap();
            accepted.push(format!("{label}: removed, no page has it any more"));
        } else {
            problems.push(format!("{label}: a reference no page matches any more"));
        }
    }
    let gone: Vec<&String> = old_hashes.keys().filter(|k| !hashes.contains_key(*k)).collect();
    if !update && !gone.is_empty() {
        problems.push(format!("tests/ref/sha256.txt lists PDFs no example makes: {gone:?}"));
    }
    if update {
        for folder in std::fs::read_dir(&refs).unwrap().map(|e| e.unwrap().path()) {
            // A folder left empty (its example gone) goes too.
            if folder.is_dir() {
                let _ = std::fs::remove_dir(&folder);
            }
        }
        let text: String = hashes.iter().map(|(k, h)| format!("{k} {h}\n")).collect();
        std::fs::write(&hash_file, text).unwrap();
        let list: String = accepted.iter().map(|a| format!("\n  {a}")).collect();
        eprintln!("BRIEF_REF_UPDATE=1: {} pages written or removed{list}", accepted.len());
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        problems.is_empty(),
        "{} differences from tests/ref (a pixel differs beyond {PIXEL_TOLERANCE}/255, a page when \
         more than {MAX_DIFFERING:e} of its pixels do):\n  {}\n\
         Look at each diff image. If the change is meant, accept it with\n  \
         BRIEF_REF_UPDATE=1 cargo test --test pages\n\
         and commit tests/ref with the change.",
        problems.len(),
        problems.join("\n  ")
    );
}
