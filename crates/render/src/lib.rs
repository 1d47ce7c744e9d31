//! daihoi-render: the documents people print — ballots and badges (PDF), counting minutes,
//! the credentials report and simple reports (PDF and DOCX), and tables (XLSX).
//!
//! Every function takes plain data and returns the file's bytes; nothing here reads a clock,
//! the network or the host's fonts (Liberation Serif is compiled in).
//!
//! Architecture Invariant: layout produces display lists (`canvas::Page`) first and only then
//! paints them with krilla, so geometry (ballot rows for scanning) is computed once and can be
//! exported and tested without a PDF.
//!
//! Entry points:
//! - [`ballots_pdf`] and [`ballot_layout`] for a [`BallotSpec`];
//! - [`badges_pdf`] for [`Badge`]s on a [`BadgeSheet`];
//! - [`counting_minutes_pdf`] / [`counting_minutes_docx`] for [`CountingMinutes`];
//! - [`credentials_report_pdf`] / [`credentials_report_docx`] for a [`CredentialsReport`];
//! - [`report_pdf`] / [`report_docx`] for any [`Report`] (header, headings, paragraphs,
//!   tables, signatures) — the minutes and the credentials report are built on it;
//! - [`xlsx_table`] for [`Sheet`]s of typed [`Cell`]s.
//!
//! Module map: `fonts` (embedded faces, shaping), `text` (line breaking), `canvas` (display
//! lists, PDF painting), `flow` (pagination, tables), `header` (the Party document header),
//! `qr`, then one module per document.

mod badge;
mod ballot;
mod canvas;
mod comments;
mod credentials;
mod docx;
mod error;
mod figures;
mod flow;
mod fonts;
mod header;
mod minutes;
mod qr;
mod report;
mod text;
mod xlsx;

pub use badge::{BADGE_COLUMNS, BADGE_ROWS, Badge, BadgeRole, BadgeSheet, badges_pdf};
pub use ballot::{
    BallotCode, BallotCodeError, BallotForm, BallotLayout, BallotSpec, MAX_BALLOT_COPIES,
    MAX_BALLOT_NAMES, NameRow, ballot_layout, ballots_pdf,
};
pub use canvas::{MM, Paper, Rect};
pub use comments::{CommentLine, CommentsSummary, comments_summary, comments_summary_docx};
pub use credentials::{
    CompositionLine, CredentialsReport, DelegateKinds, credentials_report, credentials_report_docx,
    credentials_report_pdf,
};
pub use docx::report_docx;
pub use error::RenderError;
pub use figures::{ReasonCount, percent};
pub use fonts::FontStyle;
pub use header::{CongressKind, DocumentHeader, Issuer, PlaceDate, congress_line};
pub use minutes::{
    Attendance, BallotCounts, Base, BaseStep, CandidateResult, CommitteeMember, CommitteeRole,
    CountingMinutes, EntryLogRow, Ranked, SeatsBasis, counting_minutes_docx, counting_minutes_pdf,
    counting_minutes_report,
};
pub use report::{Block, Column, Paragraph, Report, Row, Signature, Table, report_pdf};
pub use text::{Align, Span};
pub use xlsx::{Cell, Sheet, SheetColumn, xlsx_table};
