//! Files attached to registered documents: only PDF and DOCX, up to a size limit, recognised
//! by their first bytes (magic numbers) and not by the name or the Content-Type the browser
//! claims, so a renamed executable or a spreadsheet never enters the register.

/// The largest attachment accepted: 20 MB, above any scanned directive of a few dozen pages.
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of file the register keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A PDF (a signed, scanned or exported document).
    Pdf,
    /// A Word document (drafts).
    Docx,
}

impl FileKind {
    /// The Content-Type to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
        }
    }

    /// The kind a stored Content-Type names.
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        [FileKind::Pdf, FileKind::Docx].into_iter().find(|kind| kind.content_type() == content_type)
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentError {
    /// The file is empty.
    Empty,
    /// The file is larger than [`MAX_ATTACHMENT_BYTES`].
    TooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// The content is neither a PDF nor a DOCX.
    NotPdfOrDocx,
    /// The content does not match the name's extension (a PDF named `.docx`).
    ExtensionMismatch {
        /// What the content is.
        content: FileKind,
    },
}

impl AttachmentError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "empty_file",
            AttachmentError::TooLarge { .. } => "file_too_large",
            AttachmentError::NotPdfOrDocx => "not_pdf_or_docx",
            AttachmentError::ExtensionMismatch { .. } => "extension_mismatch",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            AttachmentError::Empty => "Tệp đính kèm rỗng.".into(),
            AttachmentError::TooLarge { size } => format!(
                "Tệp quá lớn ({}); chỉ nhận tệp đến {} MB.",
                megabytes(*size),
                MAX_ATTACHMENT_BYTES / (1024 * 1024)
            ),
            AttachmentError::NotPdfOrDocx => {
                "Chỉ nhận tệp PDF hoặc DOCX; nội dung tệp này không phải PDF hay DOCX.".into()
            }
            AttachmentError::ExtensionMismatch { content } => format!(
                "Nội dung tệp là {} nhưng tên tệp có phần mở rộng khác; hãy đặt tên tệp đuôi .{}.",
                content.extension().to_uppercase(),
                content.extension()
            ),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            AttachmentError::Empty => "The attached file is empty.".into(),
            AttachmentError::TooLarge { size } => format!(
                "The file is too large ({}); files up to {} MB are accepted.",
                megabytes(*size),
                MAX_ATTACHMENT_BYTES / (1024 * 1024)
            ),
            AttachmentError::NotPdfOrDocx => {
                "Only PDF or DOCX files are accepted; this file's content is neither.".into()
            }
            AttachmentError::ExtensionMismatch { content } => format!(
                "The file's content is {} but its name has another extension; name it .{}.",
                content.extension().to_uppercase(),
                content.extension()
            ),
        }
    }
}

fn megabytes(size: usize) -> String {
    let tenths = (size as u64 * 10).div_ceil(1024 * 1024);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// What the content is, from its first bytes: `%PDF-` for PDF; a ZIP archive (`PK\x03\x04`)
/// holding `word/document.xml` for DOCX (an XLSX or any other ZIP is not a DOCX).
pub fn sniff(data: &[u8]) -> Option<FileKind> {
    if data.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if data.starts_with(b"PK\x03\x04") && contains(data, b"word/document.xml") {
        return Some(FileKind::Docx);
    }
    None
}

/// Checks a file before it is stored: not empty, not too large, a PDF or DOCX by content, and
/// a name whose extension (if any) agrees with the content.
pub fn check_attachment(file_name: &str, data: &[u8]) -> Result<FileKind, AttachmentError> {
    if data.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if data.len() > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge { size: data.len() });
    }
    let kind = sniff(data).ok_or(AttachmentError::NotPdfOrDocx)?;
    let extension = file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some(ext) if ext != kind.extension() => {
            Err(AttachmentError::ExtensionMismatch { content: kind })
        }
        _ => Ok(kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_by_their_content() {
        let pdf = b"%PDF-1.7\n...".to_vec();
        let mut docx = b"PK\x03\x04....".to_vec();
        docx.extend_from_slice(b"[Content_Types].xml word/document.xml");
        let mut xlsx = b"PK\x03\x04....".to_vec();
        xlsx.extend_from_slice(b"xl/workbook.xml");
        assert_eq!(check_attachment("35-CT-TW.pdf", &pdf), Ok(FileKind::Pdf));
        assert_eq!(check_attachment("Du thao.DOCX", &docx), Ok(FileKind::Docx));
        assert_eq!(check_attachment("no-extension", &pdf), Ok(FileKind::Pdf));
        assert_eq!(check_attachment("bang.xlsx", &xlsx), Err(AttachmentError::NotPdfOrDocx));
        assert_eq!(
            check_attachment("virus.pdf", b"MZ\x90\x00"),
            Err(AttachmentError::NotPdfOrDocx)
        );
        assert_eq!(
            check_attachment("scan.docx", &pdf),
            Err(AttachmentError::ExtensionMismatch { content: FileKind::Pdf })
        );
        assert_eq!(check_attachment("a.pdf", b""), Err(AttachmentError::Empty));
        let mut big = pdf.clone();
        big.resize(MAX_ATTACHMENT_BYTES + 1, b' ');
        let error = check_attachment("big.pdf", &big).unwrap_err();
        assert_eq!(error.code(), "file_too_large");
        assert!(error.message_vi().contains("20 MB"), "{}", error.message_vi());
        big.truncate(MAX_ATTACHMENT_BYTES);
        assert_eq!(check_attachment("big.pdf", &big), Ok(FileKind::Pdf));
    }
}
