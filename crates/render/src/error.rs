//! The one error type of the document layer.

/// Why a document could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// An embedded font file could not be read. The fonts are compiled in, so this is a
    /// packaging defect, never a property of the input.
    #[error("phông chữ nhúng bị hỏng ({0})")]
    Font(&'static str),
    /// The PDF writer refused the document.
    #[error("không tạo được tệp PDF: {0}")]
    Pdf(String),
    /// The DOCX writer failed.
    #[error("không tạo được tệp DOCX: {0}")]
    Docx(String),
    /// The XLSX writer failed or refused a value (for example an invalid sheet name).
    #[error("không tạo được tệp XLSX: {0}")]
    Xlsx(String),
    /// Figures given for a document contradict each other (for example valid + invalid
    /// ballots ≠ ballots collected). Printing them would put a wrong record on paper.
    #[error("số liệu không khớp: {0}")]
    Inconsistent(String),
    /// The input cannot be printed as asked (no copies, too many names, a character the
    /// font lacks, a name too long for its row even at the smallest size).
    #[error("không in được: {0}")]
    Unprintable(String),
}
