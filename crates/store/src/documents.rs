//! The register of Party documents (sổ đăng ký văn bản): each document by its number and symbol,
//! issue date and the full identity of its issuer; its attached files; the links between
//! documents (a guideline guides a directive, a plan implements it); the numbering sequences of
//! a unit's own documents; and the dissemination conferences (hội nghị quán triệt, triển khai)
//! that introduced documents.
//!
//! A symbol is not an identity: two `35-CT/TW` exist (2019 and 2024) and every province signs
//! `/TU` (congress-process §6). The register's key is (register unit, issuer, symbol, date).
//!
//! Attached files are kept in the database, addressed by SHA-256 (`document_files`): one backup
//! holds everything, a refused or rolled-back upload leaves nothing behind, and the file and its
//! audit entry commit together.

use daihoi_core::access::subtree_end;
use daihoi_core::attachment::{FileKind, check_attachment};
use daihoi_core::symbol::{self, DocumentSymbol, Sequence, SymbolWarning};
use daihoi_core::vn;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::rows::{date_text, parse_date};
use crate::units::{next_id, unit_on};
use crate::{Page, Paged, Store, StoreError, WriteTx};

/// A coded value with its stable code and labels (as in `congress.rs`).
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Stable code.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str { match self { $($name::$variant => $vi),* } }
            /// English label.
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),* } }
            /// Parses a stable code.
            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|value| value.code() == code)
            }
        }
    };
}

code_enum!(
    /// Whether the register's unit issued the document or received it.
    Origin {
        /// Issued by the register's unit: numbered from its own sequences.
        Own => "own", "Văn bản đi (do đơn vị ban hành)", "Issued by this unit";
        /// Received from another body.
        Received => "received", "Văn bản đến", "Received";
    }
);

code_enum!(
    /// How one document relates to another (`from` → `to`).
    LinkKind {
        /// `from` guides the implementation of `to` (26-HD/BTCTW guides 35-CT/TW).
        Guides => "guides", "Hướng dẫn thực hiện", "Guides";
        /// `from` implements `to` (79-KH/TU implements 35-CT/TW).
        Implements => "implements", "Triển khai thực hiện", "Implements";
        /// `from` replaces `to`.
        Replaces => "replaces", "Thay thế", "Replaces";
        /// `from` amends or supplements `to`.
        Amends => "amends", "Sửa đổi, bổ sung", "Amends";
    }
);

impl LinkKind {
    /// The relation read from the other end (`to` is guided by `from`).
    pub fn inverse_vi(self) -> &'static str {
        match self {
            LinkKind::Guides => "Được hướng dẫn bởi",
            LinkKind::Implements => "Được triển khai bởi",
            LinkKind::Replaces => "Bị thay thế bởi",
            LinkKind::Amends => "Được sửa đổi, bổ sung bởi",
        }
    }

    /// The relation read from the other end, in English.
    pub fn inverse_en(self) -> &'static str {
        match self {
            LinkKind::Guides => "Guided by",
            LinkKind::Implements => "Implemented by",
            LinkKind::Replaces => "Replaced by",
            LinkKind::Amends => "Amended by",
        }
    }
}

/// Who issued a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// A unit of the tree.
    Unit(i64),
    /// A body outside the tree, by its full name ("Bộ Chính trị", "Ban Tổ chức Trung ương").
    Named(String),
}

/// A document in a register.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Id.
    pub id: i64,
    /// The register's unit.
    pub unit_id: i64,
    /// Its path (scope checks).
    pub unit_path: String,
    /// Type abbreviation (`CT`).
    pub doc_type: String,
    /// Number.
    pub number: i64,
    /// Issuer abbreviation (`TW`).
    pub issuer_code: String,
    /// Number and symbol as the register writes it (`35-CT/TW`).
    pub symbol: String,
    /// Date of issue.
    pub issued_on: Date,
    /// The issuing unit, when it is one of the tree.
    pub issuer_unit_id: Option<i64>,
    /// The issuing body's full name.
    pub issuer_name: String,
    /// Own or received.
    pub origin: Origin,
    /// Summary (trích yếu).
    pub summary: String,
    /// Who signed.
    pub signer: Option<String>,
    /// The congress it belongs to (congress documents share one sequence).
    pub congress_id: Option<i64>,
    /// Note.
    pub note: Option<String>,
    /// Version.
    pub version: i64,
}

impl Document {
    /// The parsed symbol (stored symbols were parsed on the way in).
    pub fn parsed_symbol(&self) -> Option<DocumentSymbol> {
        DocumentSymbol::parse(&self.symbol).ok().map(|parsed| parsed.symbol)
    }

    /// The year of issue.
    pub fn year(&self) -> i32 {
        self.issued_on.year()
    }
}

/// A document to register.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// The register's unit.
    pub unit_id: i64,
    /// Number and symbol.
    pub symbol: DocumentSymbol,
    /// Date of issue.
    pub issued_on: Date,
    /// Issuer.
    pub issuer: Issuer,
    /// Own or received.
    pub origin: Origin,
    /// Summary.
    pub summary: String,
    /// Signer.
    pub signer: Option<String>,
    /// Congress (for congress documents).
    pub congress_id: Option<i64>,
    /// Note.
    pub note: Option<String>,
}

/// What to list from the register.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Subtrees to look in (empty: everywhere).
    pub subtree_paths: Vec<String>,
    /// Words of the symbol or summary.
    pub query: Option<String>,
    /// Type abbreviation.
    pub doc_type: Option<String>,
    /// Year of issue.
    pub year: Option<i32>,
    /// Own or received.
    pub origin: Option<Origin>,
}

/// An attached file's record.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// Id.
    pub id: i64,
    /// The document.
    pub document_id: i64,
    /// File name as uploaded.
    pub file_name: String,
    /// Content-Type decided from the content.
    pub content_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256 of the content.
    pub sha256: String,
    /// When (ms).
    pub uploaded_at: i64,
    /// Who.
    pub uploaded_by: String,
}

/// A link seen from one document.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// Link id.
    pub id: i64,
    /// The relation.
    pub kind: LinkKind,
    /// Whether this document is the link's `from` end (it guides, implements, …).
    pub outgoing: bool,
    /// The document at the other end.
    pub other: Document,
}

const DOCUMENT_COLUMNS: &str = "id, unit_id, unit_path, doc_type, number, issuer_code, symbol, \
    issued_on, issuer_unit_id, issuer_name, origin, summary, signer, congress_id, note, version";

fn document_from_row(row: &AnyRow) -> Result<Document, sqlx::Error> {
    let origin: String = row.try_get("origin")?;
    Ok(Document {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        unit_path: row.try_get("unit_path")?,
        doc_type: row.try_get("doc_type")?,
        number: row.try_get("number")?,
        issuer_code: row.try_get("issuer_code")?,
        symbol: row.try_get("symbol")?,
        issued_on: parse_date(row.try_get("issued_on")?).unwrap_or(Date::MIN),
        issuer_unit_id: row.try_get("issuer_unit_id")?,
        issuer_name: row.try_get("issuer_name")?,
        origin: Origin::parse(&origin).unwrap_or(Origin::Received),
        summary: row.try_get("summary")?,
        signer: row.try_get("signer")?,
        congress_id: row.try_get("congress_id")?,
        note: row.try_get("note")?,
        version: row.try_get("version")?,
    })
}

const ATTACHMENT_COLUMNS: &str =
    "id, document_id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by";

fn attachment_from_row(row: &AnyRow) -> Result<Attachment, sqlx::Error> {
    Ok(Attachment {
        id: row.try_get("id")?,
        document_id: row.try_get("document_id")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        uploaded_at: row.try_get("uploaded_at")?,
        uploaded_by: row.try_get("uploaded_by")?,
    })
}

pub(crate) async fn document_on(conn: &mut AnyConnection, id: i64) -> Result<Document, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(document_from_row(&row)?)
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|text| !text.is_empty()).map(vn::nfc)
}

/// The `(path >= a AND path < b) OR …` condition of a list of subtrees, appended to `binds`.
pub(crate) fn subtree_condition(
    column: &str,
    paths: &[String],
    binds: &mut Vec<String>,
) -> Option<String> {
    if paths.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    for path in paths {
        binds.push(path.clone());
        binds.push(subtree_end(path));
        parts.push(format!("({column} >= ${} AND {column} < ${})", binds.len() - 1, binds.len()));
    }
    Some(format!("({})", parts.join(" OR ")))
}

/// The first days of the committee terms of `unit_id` known from its congresses: the day after
/// each congress's last session (congress-process §6.1).
async fn term_starts(conn: &mut AnyConnection, unit_id: i64) -> Result<Vec<Date>, StoreError> {
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "SELECT MAX(s.ends_on) FROM congress_sessions s JOIN congresses c ON c.id = s.congress_id \
         WHERE c.unit_id = $1 GROUP BY c.id",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(closing,)| parse_date(closing))
        .map(|closing| symbol::term_start_after(closing, None))
        .collect())
}

async fn sequence_of(
    conn: &mut AnyConnection,
    unit_id: i64,
    doc_type: &str,
    issued_on: Date,
    congress_id: Option<i64>,
) -> Result<Sequence, StoreError> {
    Ok(match congress_id {
        Some(congress_id) => Sequence::Congress { congress_id },
        None => {
            let starts = term_starts(conn, unit_id).await?;
            Sequence::CommitteeTerm {
                term_start: symbol::term_start_of(issued_on, &starts),
                doc_type: doc_type.to_string(),
            }
        }
    })
}

async fn last_number(
    conn: &mut AnyConnection,
    unit_id: i64,
    sequence: &Sequence,
) -> Result<Option<u32>, StoreError> {
    let (scope, doc_type) = sequence.key();
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT last_number FROM number_sequences WHERE unit_id = $1 AND scope = $2 AND doc_type = $3",
    )
    .bind(unit_id)
    .bind(&scope)
    .bind(&doc_type)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(last.and_then(|n| u32::try_from(n).ok()))
}

/// Records `number` as used in `sequence` (the sequence never goes back).
async fn advance_sequence(
    conn: &mut AnyConnection,
    unit_id: i64,
    sequence: &Sequence,
    number: u32,
    at: i64,
) -> Result<(), StoreError> {
    let (scope, doc_type) = sequence.key();
    match last_number(conn, unit_id, sequence).await? {
        Some(last) if last >= number => {}
        Some(_) => {
            sqlx::query(
                "UPDATE number_sequences SET last_number = $1, updated_at = $2 \
                 WHERE unit_id = $3 AND scope = $4 AND doc_type = $5",
            )
            .bind(i64::from(number))
            .bind(at)
            .bind(unit_id)
            .bind(&scope)
            .bind(&doc_type)
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO number_sequences (unit_id, scope, doc_type, last_number, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(unit_id)
            .bind(&scope)
            .bind(&doc_type)
            .bind(i64::from(number))
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A number proposed for a unit's next own document.
#[derive(Debug, Clone, Serialize)]
pub struct NumberProposal {
    /// The number.
    pub number: u32,
    /// The symbol it makes (`04-HD/TU`).
    pub symbol: String,
    /// The sequence's stored scope (`term:2015-07-20`, `congress:7`).
    pub scope: String,
}

impl Store {
    /// Registers a document. Returns it with the warnings its symbol raised (unknown
    /// abbreviations). Refused: an empty summary, a date in the future of `today`, an own
    /// document whose number is already used in its sequence, and a document the register holds
    /// already (same issuer, symbol and date).
    pub async fn create_document(
        &self,
        tx: &mut WriteTx,
        new: NewDocument,
        today: Date,
    ) -> Result<(Document, Vec<SymbolWarning>), StoreError> {
        let summary = vn::nfc(new.summary.trim());
        if summary.is_empty() {
            return Err(StoreError::rule(
                "empty_summary",
                "summary",
                "Hãy nhập trích yếu nội dung văn bản.",
                "Enter the document's summary.",
            ));
        }
        if new.issued_on > today {
            return Err(StoreError::rule(
                "future_date",
                "issued_on",
                "Ngày ban hành ở tương lai.",
                "The date of issue is in the future.",
            ));
        }
        let at = tx.at();
        let conn = tx.conn();
        let unit = unit_on(conn, new.unit_id).await?;
        let (issuer_unit_id, issuer_name, issuer_key) = match &new.issuer {
            Issuer::Unit(id) => {
                let issuer = unit_on(conn, *id).await?;
                (Some(issuer.id), issuer.name.clone(), format!("unit:{}", issuer.id))
            }
            Issuer::Named(name) => {
                let name = vn::nfc(name.trim());
                if name.is_empty() {
                    return Err(StoreError::rule(
                        "empty_issuer",
                        "issuer_name",
                        "Hãy nhập cơ quan ban hành.",
                        "Enter the issuing body.",
                    ));
                }
                let key = format!("name:{}", vn::fold(&name));
                (None, name, key)
            }
        };
        if new.origin == Origin::Own && issuer_unit_id != Some(unit.id) {
            return Err(StoreError::rule(
                "own_issuer",
                "origin",
                "Văn bản đi phải do chính đơn vị giữ sổ ban hành.",
                "A document issued by this unit must have this unit as its issuer.",
            ));
        }
        if let Some(congress_id) = new.congress_id {
            let congress = crate::congress::congress_on(conn, congress_id).await?;
            if congress.unit_id != unit.id {
                return Err(StoreError::rule(
                    "congress_unit",
                    "congress_id",
                    "Đại hội không phải của đơn vị giữ sổ.",
                    "The congress is not this unit's.",
                ));
            }
        }
        let symbol_text = new.symbol.to_string();
        let warnings = DocumentSymbol::parse(&symbol_text).map(|p| p.warnings).unwrap_or_default();
        let same: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM documents WHERE unit_id = $1 AND issuer_key = $2 AND symbol = $3 AND issued_on = $4",
        )
        .bind(unit.id)
        .bind(&issuer_key)
        .bind(&symbol_text)
        .bind(date_text(Some(new.issued_on)))
        .fetch_optional(&mut *conn)
        .await?;
        if same.is_some() {
            return Err(StoreError::rule(
                "duplicate_document",
                "symbol",
                format!(
                    "Sổ đã có văn bản {symbol_text} ngày {} của {issuer_name}.",
                    daihoi_core::date::dd_mm_yyyy(new.issued_on)
                ),
                format!(
                    "The register already holds {symbol_text} of {} from {issuer_name}.",
                    daihoi_core::date::dd_mm_yyyy(new.issued_on)
                ),
            ));
        }
        if new.origin == Origin::Own {
            let sequence =
                sequence_of(conn, unit.id, new.symbol.doc_type(), new.issued_on, new.congress_id)
                    .await?;
            // A number is never given twice in one sequence (§6.1).
            let candidates = sqlx::query(sqlf!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE unit_id = $1 AND origin = 'own' AND number = $2"
            ))
            .bind(unit.id)
            .bind(i64::from(new.symbol.number()))
            .fetch_all(&mut *conn)
            .await?;
            for row in &candidates {
                let other = document_from_row(row)?;
                let other_sequence =
                    sequence_of(conn, unit.id, &other.doc_type, other.issued_on, other.congress_id)
                        .await?;
                if other_sequence.key() == sequence.key() {
                    return Err(StoreError::rule(
                        "number_used",
                        "symbol",
                        format!(
                            "Số {:02} đã cấp cho văn bản {} ngày {} trong cùng sổ; hãy lấy số mới.",
                            new.symbol.number(),
                            other.symbol,
                            daihoi_core::date::dd_mm_yyyy(other.issued_on)
                        ),
                        format!(
                            "Number {:02} was given to {} of {} in the same sequence; take a new number.",
                            new.symbol.number(),
                            other.symbol,
                            daihoi_core::date::dd_mm_yyyy(other.issued_on)
                        ),
                    ));
                }
            }
            advance_sequence(conn, unit.id, &sequence, new.symbol.number(), at).await?;
        }
        let id = next_id(conn, "documents").await?;
        sqlx::query(
            "INSERT INTO documents (id, unit_id, unit_path, doc_type, number, issuer_code, symbol, \
             symbol_fold, issued_on, issuer_unit_id, issuer_name, issuer_key, origin, summary, \
             summary_fold, signer, congress_id, note, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $19, 1)",
        )
        .bind(id)
        .bind(unit.id)
        .bind(&unit.path)
        .bind(new.symbol.doc_type())
        .bind(i64::from(new.symbol.number()))
        .bind(new.symbol.issuer())
        .bind(&symbol_text)
        .bind(vn::fold(&symbol_text))
        .bind(date_text(Some(new.issued_on)))
        .bind(issuer_unit_id)
        .bind(&issuer_name)
        .bind(&issuer_key)
        .bind(new.origin.code())
        .bind(&summary)
        .bind(vn::fold(&summary))
        .bind(trimmed(new.signer.as_deref()))
        .bind(new.congress_id)
        .bind(trimmed(new.note.as_deref()))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let document = document_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("document.create", "document", id)
                .in_unit(unit.id, &unit.path)
                .after(&document),
        )
        .await?;
        Ok((document, warnings))
    }

    /// One document.
    pub async fn document(&self, id: i64) -> Result<Document, StoreError> {
        let mut conn = self.pool().acquire().await?;
        document_on(&mut conn, id).await
    }

    /// Documents of the registers in the filter's subtrees, newest first.
    pub async fn documents(
        &self,
        filter: &DocumentFilter,
        page: Page,
    ) -> Result<Paged<Document>, StoreError> {
        let mut binds: Vec<String> = Vec::new();
        let mut conditions = Vec::new();
        if let Some(condition) = subtree_condition("unit_path", &filter.subtree_paths, &mut binds) {
            conditions.push(condition);
        }
        if let Some(query) = filter.query.as_deref().map(vn::fold).filter(|q| !q.is_empty()) {
            for word in query.split(' ').filter(|w| !w.is_empty()) {
                // Only letters, digits, '-' and '/' reach the pattern: no LIKE wildcards.
                let word: String = word
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.'))
                    .collect();
                if word.is_empty() {
                    continue;
                }
                binds.push(format!("%{word}%"));
                conditions.push(format!(
                    "(symbol_fold LIKE ${n} OR summary_fold LIKE ${n})",
                    n = binds.len()
                ));
            }
        }
        if let Some(doc_type) = filter.doc_type.as_deref().filter(|t| !t.is_empty()) {
            binds.push(doc_type.to_string());
            conditions.push(format!("doc_type = ${}", binds.len()));
        }
        if let Some(year) = filter.year {
            binds.push(format!("{year:04}-01-01"));
            binds.push(format!("{:04}-01-01", year + 1));
            conditions.push(format!(
                "(issued_on >= ${} AND issued_on < ${})",
                binds.len() - 1,
                binds.len()
            ));
        }
        if let Some(origin) = filter.origin {
            binds.push(origin.code().to_string());
            conditions.push(format!("origin = ${}", binds.len()));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let mut count =
            sqlx::query_scalar::<_, i64>(sqlf!("SELECT COUNT(*) FROM documents {where_clause}"));
        let mut list = sqlx::query(sqlf!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents {where_clause} \
             ORDER BY issued_on DESC, id DESC LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        ));
        for bind in &binds {
            count = count.bind(bind);
            list = list.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let rows = list.fetch_all(self.pool()).await?;
        let items = rows.iter().map(document_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// Documents of a register with exactly this symbol (to tell same-symbol documents apart).
    pub async fn documents_with_symbol(
        &self,
        unit_id: i64,
        symbol: &DocumentSymbol,
    ) -> Result<Vec<Document>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE unit_id = $1 AND symbol = $2 ORDER BY issued_on, id"
        ))
        .bind(unit_id)
        .bind(symbol.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(document_from_row).collect::<Result<_, _>>()?)
    }

    /// The next number of a unit's own documents of `doc_type` issued on `issued_on` (in the
    /// congress's shared sequence when `congress_id` is given), without using it up: the number
    /// is taken when the document is registered.
    pub async fn propose_number(
        &self,
        unit_id: i64,
        doc_type: &str,
        issued_on: Date,
        congress_id: Option<i64>,
    ) -> Result<NumberProposal, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let unit = unit_on(&mut conn, unit_id).await?;
        let issuer = unit.issuer_abbrev.clone().filter(|code| !code.is_empty()).ok_or_else(|| {
            StoreError::rule(
                "no_issuer_abbrev",
                "doc_type",
                "Đơn vị chưa có chữ viết tắt cơ quan ban hành (ví dụ TU, ĐU); hãy bổ sung ở trang đơn vị.",
                "The unit has no issuer abbreviation (for example TU, ĐU); add it on the unit's page.",
            )
        })?;
        let known = symbol::document_type(doc_type).ok_or_else(|| {
            StoreError::rule(
                "unknown_type",
                "doc_type",
                "Hãy chọn loại văn bản trong danh mục.",
                "Choose a document type from the list.",
            )
        })?;
        let sequence = sequence_of(&mut conn, unit.id, known.code, issued_on, congress_id).await?;
        let number = symbol::next_number(last_number(&mut conn, unit.id, &sequence).await?);
        let parsed = DocumentSymbol::from_parts(number, known.code, &issuer).map_err(|error| {
            StoreError::rule("bad_symbol", "doc_type", error.message_vi(), error.message_en())
        })?;
        Ok(NumberProposal { number, symbol: parsed.symbol.to_string(), scope: sequence.key().0 })
    }

    /// The last number handed out by a stored sequence.
    pub async fn sequence_last(
        &self,
        unit_id: i64,
        sequence: &Sequence,
    ) -> Result<Option<u32>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        last_number(&mut conn, unit_id, sequence).await
    }

    // -----------------------------------------------------------------------------------------
    // Attachments

    /// Attaches a file to a document, after checking it is a PDF or DOCX within the size limit
    /// by its content. A refused file stores nothing.
    pub async fn add_attachment(
        &self,
        tx: &mut WriteTx,
        document_id: i64,
        file_name: &str,
        data: &[u8],
    ) -> Result<Attachment, StoreError> {
        let kind = check_attachment(file_name, data).map_err(|error| {
            StoreError::rule(error.code(), "file", error.message_vi(), error.message_en())
        })?;
        let file_name = clean_file_name(file_name, kind);
        let at = tx.at();
        let by = tx.actor().name.clone();
        let conn = tx.conn();
        let document = document_on(conn, document_id).await?;
        let sha = hex::encode(Sha256::digest(data));
        let known: Option<String> =
            sqlx::query_scalar("SELECT sha256 FROM document_files WHERE sha256 = $1")
                .bind(&sha)
                .fetch_optional(&mut *conn)
                .await?;
        if known.is_none() {
            sqlx::query(
                "INSERT INTO document_files (sha256, size_bytes, content, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&sha)
            .bind(data.len() as i64)
            .bind(data.to_vec())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        let id = next_id(conn, "document_attachments").await?;
        sqlx::query(
            "INSERT INTO document_attachments (id, document_id, file_name, content_type, size_bytes, \
             sha256, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(document.id)
        .bind(&file_name)
        .bind(kind.content_type())
        .bind(data.len() as i64)
        .bind(&sha)
        .bind(at)
        .bind(&by)
        .execute(&mut *conn)
        .await?;
        let attachment = attachment_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("document.attach", "document", document.id)
                .in_unit(document.unit_id, &document.unit_path)
                .after(&attachment),
        )
        .await?;
        Ok(attachment)
    }

    /// The files attached to a document, in upload order.
    pub async fn attachments(&self, document_id: i64) -> Result<Vec<Attachment>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        attachments_on(&mut conn, document_id).await
    }

    /// One attachment's record.
    pub async fn attachment(&self, id: i64) -> Result<Attachment, StoreError> {
        let mut conn = self.pool().acquire().await?;
        attachment_on(&mut conn, id).await
    }

    /// The bytes of an attachment.
    pub async fn attachment_content(&self, id: i64) -> Result<Vec<u8>, StoreError> {
        let content: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT f.content FROM document_attachments a JOIN document_files f ON f.sha256 = a.sha256 \
             WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        content.ok_or(StoreError::NotFound)
    }

    /// Number of stored file contents (tests: a refused upload stores nothing).
    pub async fn stored_file_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM document_files").fetch_one(self.pool()).await?)
    }

    // -----------------------------------------------------------------------------------------
    // Links

    /// Records that `from` relates to `to` (`from` guides / implements / replaces / amends
    /// `to`). Both must be in the same register; a document does not relate to itself.
    pub async fn link_documents(
        &self,
        tx: &mut WriteTx,
        from_id: i64,
        to_id: i64,
        kind: LinkKind,
    ) -> Result<i64, StoreError> {
        if from_id == to_id {
            return Err(StoreError::rule(
                "self_link",
                "to_id",
                "Không thể liên kết văn bản với chính nó.",
                "A document cannot be linked to itself.",
            ));
        }
        let at = tx.at();
        let conn = tx.conn();
        let from = document_on(conn, from_id).await?;
        let to = document_on(conn, to_id).await?;
        if from.unit_id != to.unit_id {
            return Err(StoreError::rule(
                "other_register",
                "to_id",
                "Hai văn bản phải cùng một sổ đăng ký.",
                "Both documents must be in the same register.",
            ));
        }
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM document_links WHERE from_id = $1 AND to_id = $2 AND kind = $3",
        )
        .bind(from_id)
        .bind(to_id)
        .bind(kind.code())
        .fetch_optional(&mut *conn)
        .await?;
        if exists.is_some() {
            return Err(StoreError::rule(
                "duplicate_link",
                "to_id",
                "Liên kết này đã có.",
                "This link exists already.",
            ));
        }
        let id = next_id(conn, "document_links").await?;
        sqlx::query(
            "INSERT INTO document_links (id, from_id, to_id, kind, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(from_id)
        .bind(to_id)
        .bind(kind.code())
        .bind(at)
        .execute(&mut *conn)
        .await?;
        tx.audit(
            AuditRecord::new("document.link", "document", from_id)
                .in_unit(from.unit_id, &from.unit_path)
                .after(serde_json::json!({
                    "from": from.symbol, "from_id": from_id,
                    "to": to.symbol, "to_id": to_id, "kind": kind.code(),
                })),
        )
        .await?;
        Ok(id)
    }

    /// The links of a document, both directions.
    pub async fn links(&self, document_id: i64) -> Result<Vec<LinkView>, StoreError> {
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT id, from_id, to_id, kind FROM document_links WHERE from_id = $1 OR to_id = $1 ORDER BY id",
        )
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::new();
        for (id, from_id, to_id, kind) in rows {
            let outgoing = from_id == document_id;
            let other = document_on(&mut conn, if outgoing { to_id } else { from_id }).await?;
            out.push(LinkView {
                id,
                kind: LinkKind::parse(&kind).unwrap_or(LinkKind::Implements),
                outgoing,
                other,
            });
        }
        Ok(out)
    }
}

/// The content fields of a registered document. Its identity — issuer, symbol, date of issue
/// and, for an own document, its number in the sequence — is what the register is kept by and
/// is not edited: a wrong entry is removed and registered again.
#[derive(Debug, Clone, Default)]
pub struct DocumentEdit {
    /// Trích yếu.
    pub summary: String,
    /// Người ký.
    pub signer: Option<String>,
    /// Ghi chú.
    pub note: Option<String>,
}

impl Store {
    /// Edits a document's summary, signer and note (optimistic: `version` must be current).
    pub async fn update_document(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        edit: &DocumentEdit,
    ) -> Result<Document, StoreError> {
        let summary = vn::nfc(edit.summary.trim());
        if summary.is_empty() {
            return Err(StoreError::rule(
                "empty_summary",
                "summary",
                "Hãy nhập trích yếu nội dung văn bản.",
                "Enter the document's summary.",
            ));
        }
        let at = tx.at();
        let before = document_on(tx.conn(), id).await?;
        let done = sqlx::query(
            "UPDATE documents SET summary = $1, summary_fold = $2, signer = $3, note = $4, \
             updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
        )
        .bind(&summary)
        .bind(vn::fold(&summary))
        .bind(trimmed(edit.signer.as_deref()))
        .bind(trimmed(edit.note.as_deref()))
        .bind(at)
        .bind(id)
        .bind(version)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Stale);
        }
        let after = document_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("document.update", "document", id)
                .in_unit(before.unit_id, &before.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// Removes a document from the register with its attachments and the links it makes.
    /// Refused while another document links to it or a conference records it as introduced:
    /// those records would point at nothing. An own document's number is not given again (the
    /// sequence keeps its last number). The audit entry keeps the whole record.
    pub async fn remove_document(&self, tx: &mut WriteTx, id: i64) -> Result<(), StoreError> {
        let document = document_on(tx.conn(), id).await?;
        let incoming: Vec<(String, String)> = sqlx::query_as(
            "SELECT d.symbol, d.issued_on FROM document_links l JOIN documents d ON d.id = l.from_id \
             WHERE l.to_id = $1 ORDER BY d.issued_on, d.id",
        )
        .bind(id)
        .fetch_all(tx.conn())
        .await?;
        if !incoming.is_empty() {
            let list = |of: &str| {
                incoming
                    .iter()
                    .map(|(symbol, on)| match parse_date(Some(on.clone())) {
                        Some(date) => {
                            format!("{symbol} {of} {}", daihoi_core::date::dd_mm_yyyy(date))
                        }
                        None => symbol.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(StoreError::rule(
                "linked_from",
                "document",
                format!(
                    "Không xóa được: văn bản {} dẫn chiếu đến văn bản này; hãy gỡ liên kết trước.",
                    list("ngày")
                ),
                format!(
                    "Cannot remove: {} refers to this document; remove that link first.",
                    list("of")
                ),
            ));
        }
        let conferences: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM conference_documents WHERE document_id = $1")
                .bind(id)
                .fetch_one(tx.conn())
                .await?;
        if conferences > 0 {
            return Err(StoreError::rule(
                "introduced_at_conference",
                "document",
                "Không xóa được: văn bản đã được quán triệt tại hội nghị đã ghi nhận.",
                "Cannot remove: a recorded conference introduced this document.",
            ));
        }
        let attachments = attachments_on(tx.conn(), id).await?;
        let links: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT id, to_id, kind FROM document_links WHERE from_id = $1")
                .bind(id)
                .fetch_all(tx.conn())
                .await?;
        sqlx::query("DELETE FROM document_links WHERE from_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query("DELETE FROM document_attachments WHERE document_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for attachment in &attachments {
            drop_orphan_file(tx.conn(), &attachment.sha256).await?;
        }
        sqlx::query("DELETE FROM documents WHERE id = $1").bind(id).execute(tx.conn()).await?;
        tx.audit(
            AuditRecord::new("document.remove", "document", id)
                .in_unit(document.unit_id, &document.unit_path)
                .before(serde_json::json!({
                    "document": document,
                    "attachments": attachments,
                    "links": links,
                })),
        )
        .await?;
        Ok(())
    }

    /// Removes one link between two documents.
    pub async fn remove_link(&self, tx: &mut WriteTx, link_id: i64) -> Result<(), StoreError> {
        let link: Option<(i64, i64, String)> =
            sqlx::query_as("SELECT from_id, to_id, kind FROM document_links WHERE id = $1")
                .bind(link_id)
                .fetch_optional(tx.conn())
                .await?;
        let (from_id, to_id, kind) = link.ok_or(StoreError::NotFound)?;
        let from = document_on(tx.conn(), from_id).await?;
        sqlx::query("DELETE FROM document_links WHERE id = $1")
            .bind(link_id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            AuditRecord::new("document.unlink", "document", from_id)
                .in_unit(from.unit_id, &from.unit_path)
                .before(serde_json::json!({ "link": link_id, "to": to_id, "kind": kind })),
        )
        .await?;
        Ok(())
    }

    /// Removes one attachment (its file content goes when no other attachment shares it).
    pub async fn remove_attachment(
        &self,
        tx: &mut WriteTx,
        attachment_id: i64,
    ) -> Result<Attachment, StoreError> {
        let attachment = attachment_on(tx.conn(), attachment_id).await?;
        let document = document_on(tx.conn(), attachment.document_id).await?;
        sqlx::query("DELETE FROM document_attachments WHERE id = $1")
            .bind(attachment_id)
            .execute(tx.conn())
            .await?;
        drop_orphan_file(tx.conn(), &attachment.sha256).await?;
        tx.audit(
            AuditRecord::new("document.detach", "document", document.id)
                .in_unit(document.unit_id, &document.unit_path)
                .before(&attachment),
        )
        .await?;
        Ok(attachment)
    }
}

async fn attachments_on(
    conn: &mut AnyConnection,
    document_id: i64,
) -> Result<Vec<Attachment>, StoreError> {
    let rows = sqlx::query(sqlf!(
        "SELECT {ATTACHMENT_COLUMNS} FROM document_attachments WHERE document_id = $1 ORDER BY id"
    ))
    .bind(document_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(attachment_from_row).collect::<Result<_, _>>()?)
}

/// Deletes a stored file no attachment refers to any more.
async fn drop_orphan_file(conn: &mut AnyConnection, sha256: &str) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM document_files WHERE sha256 = $1 AND NOT EXISTS \
         (SELECT 1 FROM document_attachments a WHERE a.sha256 = $1)",
    )
    .bind(sha256)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn attachment_on(conn: &mut AnyConnection, id: i64) -> Result<Attachment, StoreError> {
    let row =
        sqlx::query(sqlf!("SELECT {ATTACHMENT_COLUMNS} FROM document_attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    Ok(attachment_from_row(&row)?)
}

/// The uploaded name without any folder part or control characters, ending in the extension
/// of its content.
fn clean_file_name(name: &str, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut clean: String =
        vn::nfc(base).chars().filter(|c| !c.is_control() && *c != '"').collect();
    clean = clean.trim().to_string();
    if clean.is_empty() {
        clean = format!("tep-dinh-kem.{}", kind.extension());
    }
    let extension = format!(".{}", kind.extension());
    if !clean.to_ascii_lowercase().ends_with(&extension) {
        clean.push_str(&extension);
    }
    clean
}

// ---------------------------------------------------------------------------------------------
// Conferences

/// A dissemination conference (hội nghị quán triệt, triển khai).
#[derive(Debug, Clone, Serialize)]
pub struct Conference {
    /// Id.
    pub id: i64,
    /// The unit that held it.
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
    /// Day.
    pub held_on: Date,
    /// Title.
    pub title: String,
    /// Who organised it ("Ban Thường vụ Thành ủy").
    pub organiser: String,
    /// Who attended ("cán bộ Thành phố").
    pub audience: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// Chair.
    pub chair_name: String,
    /// Chair's post.
    pub chair_title: Option<String>,
    /// Conclusions.
    pub conclusions: Option<String>,
    /// Source of the record (a report, an article).
    pub source: Option<String>,
    /// Version.
    pub version: i64,
}

/// A presenter at a conference.
#[derive(Debug, Clone, Serialize)]
pub struct Presenter {
    /// Id.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// Post.
    pub title: Option<String>,
}

/// A document a conference introduced.
#[derive(Debug, Clone, Serialize)]
pub struct IntroducedDocument {
    /// The document.
    pub document: Document,
    /// Who introduced it; `None`: the presenters jointly.
    pub presenter_id: Option<i64>,
}

/// A unit invited to a conference.
#[derive(Debug, Clone, Serialize)]
pub struct Invitee {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Attended (None: not recorded).
    pub attended: Option<bool>,
    /// Number of people who came.
    pub attendees: Option<i64>,
    /// Note.
    pub note: Option<String>,
}

/// A conference with everything recorded about it.
#[derive(Debug, Clone, Serialize)]
pub struct ConferenceRecord {
    /// The conference.
    pub conference: Conference,
    /// Presenters in order.
    pub presenters: Vec<Presenter>,
    /// Documents introduced, in order.
    pub documents: Vec<IntroducedDocument>,
    /// Invited units.
    pub invitees: Vec<Invitee>,
}

/// A conference to record.
#[derive(Debug, Clone, Default)]
pub struct NewConference {
    /// The unit holding it.
    pub unit_id: i64,
    /// Day.
    pub held_on: Option<Date>,
    /// Title.
    pub title: String,
    /// Organiser.
    pub organiser: String,
    /// Audience.
    pub audience: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// Chair's name.
    pub chair_name: String,
    /// Chair's post.
    pub chair_title: Option<String>,
    /// Conclusions.
    pub conclusions: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Presenters: name and post.
    pub presenters: Vec<(String, Option<String>)>,
    /// Documents introduced, each with the index of its presenter (None: jointly).
    pub documents: Vec<(i64, Option<usize>)>,
    /// Invited units: unit, attended, number of people.
    pub invitees: Vec<(i64, Option<bool>, Option<i64>)>,
}

const CONFERENCE_COLUMNS: &str = "id, unit_id, unit_path, held_on, title, organiser, audience, \
    venue, chair_name, chair_title, conclusions, source, version";

fn conference_from_row(row: &AnyRow) -> Result<Conference, sqlx::Error> {
    Ok(Conference {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        unit_path: row.try_get("unit_path")?,
        held_on: parse_date(row.try_get("held_on")?).unwrap_or(Date::MIN),
        title: row.try_get("title")?,
        organiser: row.try_get("organiser")?,
        audience: row.try_get("audience")?,
        venue: row.try_get("venue")?,
        chair_name: row.try_get("chair_name")?,
        chair_title: row.try_get("chair_title")?,
        conclusions: row.try_get("conclusions")?,
        source: row.try_get("source")?,
        version: row.try_get("version")?,
    })
}

impl Store {
    /// Records a conference with its presenters, the documents introduced and the invited units.
    /// The documents must be in the holding unit's register and the invited units in its
    /// subtree.
    pub async fn create_conference(
        &self,
        tx: &mut WriteTx,
        new: NewConference,
    ) -> Result<ConferenceRecord, StoreError> {
        let title = vn::nfc(new.title.trim());
        let chair = vn::nfc(new.chair_name.trim());
        let organiser = vn::nfc(new.organiser.trim());
        let held_on = new.held_on.ok_or_else(|| {
            StoreError::rule(
                "no_date",
                "held_on",
                "Hãy nhập ngày tổ chức hội nghị.",
                "Enter the day of the conference.",
            )
        })?;
        for (value, field, vi, en) in [
            (&title, "title", "Hãy nhập tên hội nghị.", "Enter the conference's title."),
            (&organiser, "organiser", "Hãy nhập cơ quan tổ chức.", "Enter who organised it."),
            (&chair, "chair_name", "Hãy nhập người chủ trì.", "Enter who chaired it."),
        ] {
            if value.is_empty() {
                return Err(StoreError::rule("empty_field", field, vi, en));
            }
        }
        let at = tx.at();
        let conn = tx.conn();
        let unit = unit_on(conn, new.unit_id).await?;
        let id = next_id(conn, "conferences").await?;
        sqlx::query(
            "INSERT INTO conferences (id, unit_id, unit_path, held_on, title, organiser, audience, \
             venue, chair_name, chair_title, conclusions, source, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1)",
        )
        .bind(id)
        .bind(unit.id)
        .bind(&unit.path)
        .bind(date_text(Some(held_on)))
        .bind(&title)
        .bind(&organiser)
        .bind(trimmed(new.audience.as_deref()))
        .bind(trimmed(new.venue.as_deref()))
        .bind(&chair)
        .bind(trimmed(new.chair_title.as_deref()))
        .bind(trimmed(new.conclusions.as_deref()))
        .bind(trimmed(new.source.as_deref()))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let mut presenter_ids = Vec::new();
        for (position, (name, title)) in new.presenters.iter().enumerate() {
            let name = vn::nfc(name.trim());
            if name.is_empty() {
                continue;
            }
            let presenter_id = next_id(conn, "conference_presenters").await?;
            sqlx::query(
                "INSERT INTO conference_presenters (id, conference_id, position, full_name, title) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(presenter_id)
            .bind(id)
            .bind(position as i64 + 1)
            .bind(&name)
            .bind(trimmed(title.as_deref()))
            .execute(&mut *conn)
            .await?;
            presenter_ids.push(presenter_id);
        }
        for (position, (document_id, presenter)) in new.documents.iter().enumerate() {
            let document = document_on(conn, *document_id).await?;
            if document.unit_id != unit.id {
                return Err(StoreError::rule(
                    "other_register",
                    "documents",
                    format!(
                        "Văn bản {} không thuộc sổ của đơn vị tổ chức hội nghị.",
                        document.symbol
                    ),
                    format!("Document {} is not in the holding unit's register.", document.symbol),
                ));
            }
            let presenter_id = match presenter {
                Some(index) => Some(*presenter_ids.get(*index).ok_or_else(|| {
                    StoreError::rule(
                        "bad_presenter",
                        "documents",
                        "Người giới thiệu không có trong danh sách.",
                        "The presenter is not on the list.",
                    )
                })?),
                None => None,
            };
            sqlx::query(
                "INSERT INTO conference_documents (conference_id, document_id, presenter_id, position) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(document.id)
            .bind(presenter_id)
            .bind(position as i64 + 1)
            .execute(&mut *conn)
            .await?;
        }
        for (unit_id, attended, attendees) in &new.invitees {
            let invited = unit_on(conn, *unit_id).await?;
            if !invited.path.starts_with(&unit.path) {
                return Err(StoreError::rule(
                    "outside_subtree",
                    "invitees",
                    format!("{} không trực thuộc đơn vị tổ chức hội nghị.", invited.name),
                    format!("{} is not under the holding unit.", invited.name),
                ));
            }
            sqlx::query(
                "INSERT INTO conference_invitees (conference_id, unit_id, attended, attendees, note) \
                 VALUES ($1, $2, $3, $4, NULL)",
            )
            .bind(id)
            .bind(invited.id)
            .bind(attended.map(i64::from))
            .bind(*attendees)
            .execute(&mut *conn)
            .await?;
        }
        let record = conference_record_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("conference.create", "conference", id)
                .in_unit(unit.id, &unit.path)
                .after(&record),
        )
        .await?;
        Ok(record)
    }

    /// One conference with its presenters, documents and invitees.
    pub async fn conference(&self, id: i64) -> Result<ConferenceRecord, StoreError> {
        let mut conn = self.pool().acquire().await?;
        conference_record_on(&mut conn, id).await
    }

    /// Conferences held in these subtrees (all when empty), newest first.
    pub async fn conferences(
        &self,
        subtree_paths: &[String],
    ) -> Result<Vec<Conference>, StoreError> {
        let mut binds = Vec::new();
        let where_clause = subtree_condition("unit_path", subtree_paths, &mut binds)
            .map(|condition| format!("WHERE {condition}"))
            .unwrap_or_default();
        let mut query = sqlx::query(sqlf!(
            "SELECT {CONFERENCE_COLUMNS} FROM conferences {where_clause} ORDER BY held_on DESC, id DESC LIMIT 500"
        ));
        for bind in &binds {
            query = query.bind(bind);
        }
        let rows = query.fetch_all(self.pool()).await?;
        Ok(rows.iter().map(conference_from_row).collect::<Result<_, _>>()?)
    }

    /// Conferences that introduced a document.
    pub async fn conferences_of_document(
        &self,
        document_id: i64,
    ) -> Result<Vec<Conference>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {CONFERENCE_COLUMNS} FROM conferences WHERE id IN \
             (SELECT conference_id FROM conference_documents WHERE document_id = $1) ORDER BY held_on"
        ))
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(conference_from_row).collect::<Result<_, _>>()?)
    }
}

async fn conference_record_on(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<ConferenceRecord, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {CONFERENCE_COLUMNS} FROM conferences WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let conference = conference_from_row(&row)?;
    let presenters: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, full_name, title FROM conference_presenters WHERE conference_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let presenters = presenters
        .into_iter()
        .map(|(id, full_name, title)| Presenter { id, full_name, title })
        .collect();
    let introduced: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT document_id, presenter_id FROM conference_documents WHERE conference_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut documents = Vec::new();
    for (document_id, presenter_id) in introduced {
        documents.push(IntroducedDocument {
            document: document_on(conn, document_id).await?,
            presenter_id,
        });
    }
    type InviteeRow = (i64, String, Option<i64>, Option<i64>, Option<String>);
    let invited: Vec<InviteeRow> = sqlx::query_as(
        "SELECT i.unit_id, u.name, i.attended, i.attendees, i.note FROM conference_invitees i \
         JOIN units u ON u.id = i.unit_id WHERE i.conference_id = $1 ORDER BY u.name_key",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let invitees = invited
        .into_iter()
        .map(|(unit_id, unit_name, attended, attendees, note)| Invitee {
            unit_id,
            unit_name,
            attended: attended.map(|a| a != 0),
            attendees,
            note,
        })
        .collect();
    Ok(ConferenceRecord { conference, presenters, documents, invitees })
}
