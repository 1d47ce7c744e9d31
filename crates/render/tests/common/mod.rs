//! Helpers shared by the document tests: text and page images of PDFs (poppler-utils), the XML
//! of DOCX files. Images are written under `target/tmp/render/` for a human to look at.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

/// Where previews go: `target/tmp/render/`.
pub fn preview_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("render");
    std::fs::create_dir_all(&dir).expect("create preview dir");
    dir
}

/// Write `pdf` as `<name>.pdf` in the preview directory and return its path.
pub fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let path = preview_dir().join(name);
    std::fs::write(&path, bytes).expect("write preview");
    path
}

/// The text of a PDF, page by page (form feed between pages), via `pdftotext -layout`.
pub fn pdf_text(name: &str, pdf: &[u8]) -> String {
    let path = save(&format!("{name}.pdf"), pdf);
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("pdftotext prints UTF-8")
}

/// Text with runs of whitespace collapsed to one space, for phrase searches.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Number of pages, from `pdfinfo`.
pub fn pdf_pages(name: &str, pdf: &[u8]) -> usize {
    let path = save(&format!("{name}.pdf"), pdf);
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    assert!(out.status.success());
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports Pages")
}

/// Rasterise pages `first..=last` at `dpi` with `pdftoppm -png`; returns the PNG paths.
pub fn pdf_pngs(name: &str, pdf: &[u8], dpi: u32, first: usize, last: usize) -> Vec<PathBuf> {
    let path = save(&format!("{name}.pdf"), pdf);
    let prefix = preview_dir().join(name);
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-f", &first.to_string(), "-l", &last.to_string()])
        .arg(&path)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (Debian poppler-utils) must be installed");
    assert!(out.status.success(), "pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(preview_dir())
        .expect("read preview dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let file = p.file_name().and_then(|f| f.to_str()).unwrap_or("");
            file.starts_with(&format!("{name}-")) && file.ends_with(".png")
        })
        .collect();
    pngs.sort();
    pngs
}

/// Remove earlier PNGs of `name` so counts are of this run only.
pub fn clear_pngs(name: &str) {
    if let Ok(entries) = std::fs::read_dir(preview_dir()) {
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            if file.starts_with(&format!("{name}-")) && file.ends_with(".png") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// `word/document.xml` of a DOCX file.
pub fn docx_xml(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("DOCX is a zip");
    let mut file = archive.by_name("word/document.xml").expect("word/document.xml");
    let mut xml = String::new();
    file.read_to_string(&mut xml).expect("UTF-8 XML");
    xml
}

/// The text of `word/document.xml`: one line per paragraph outside tables; a table row is one
/// line with its cells joined by ` | ` (paragraphs inside a cell joined by ` / `).
pub fn docx_text(docx: &[u8]) -> String {
    let xml = docx_xml(docx);
    let mut out = String::new();
    let mut cell: Option<Vec<String>> = None;
    let mut row: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map(|e| start + e + 1).unwrap_or(rest.len());
        let tag = &rest[start..end];
        rest = &rest[end..];
        let name = tag.trim_start_matches(['<', '/']).split([' ', '>', '/']).next().unwrap_or("");
        match (name, tag.starts_with("</")) {
            ("w:t", false) if !tag.ends_with("/>") => {
                let close = rest.find("</w:t>").unwrap_or(rest.len());
                paragraph.push_str(&unescape(&rest[..close]));
                rest = &rest[close..];
            }
            ("w:tc", false) => cell = Some(Vec::new()),
            ("w:p", true) => {
                let text = std::mem::take(&mut paragraph);
                match cell.as_mut() {
                    Some(parts) => parts.push(text),
                    None => {
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
            }
            ("w:tc", true) => {
                let parts = cell.take().unwrap_or_default();
                let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
                row.push(parts.join(" / "));
            }
            ("w:tr", true) => {
                out.push_str(&row.join(" | "));
                out.push('\n');
                row.clear();
            }
            _ => {}
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
