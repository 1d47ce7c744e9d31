//! Files of the campaign: the scheduling table as XLSX and back (the import refuses the whole
//! file when one cell is wrong, naming the row and column), the dashboard's figures as XLSX,
//! and the progress report (held/total by level, pilot congresses, approvals pending, late
//! units) as DOCX and PDF from one description.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::campaign::{Severity, Status};
use daihoi_format::table::{Cell as InCell, TableFormat, read_table};
use daihoi_render::{
    Align, Block, Cell, Column, Paper, Paragraph, Report, Row, Sheet, SheetColumn, Span, Table,
    xlsx_table,
};
use daihoi_store::campaign::PlanEdit;
use daihoi_store::congress::{CongressContent, CongressKind};

use super::{
    Focus, FocusQuery, calendar, focus, level_figures, level_label, problem_view, render_schedule,
    rows_in_focus, status_label,
};
use crate::auth::CurrentUser;
use crate::pages::import::{attachment, multipart};
use crate::pages::respond;
use crate::{AppError, AppState, Lang};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Rows in one exported schedule (a national tree is exported province by province).
const EXPORT_LIMIT: i64 = 1_000_000;

/// Column headers of the schedule file, Vietnamese then English (either is read back).
const SCHEDULE_HEADERS: [(&str, &str); 12] = [
    ("Mã đơn vị", "Unit id"),
    ("Tên tổ chức đảng", "Unit"),
    ("Cấp", "Level"),
    ("Số đảng viên", "Members"),
    ("Ngày khai mạc", "Opening day"),
    ("Ngày bế mạc", "Closing day"),
    ("Ngày thông báo", "Announced on"),
    ("Hình thức", "Format"),
    ("Nội dung", "Content"),
    ("Đại hội điểm", "Pilot"),
    ("Số đại biểu bầu lên", "Delegates upward"),
    ("Trạng thái", "Status"),
];

fn xlsx_error(error: daihoi_render::RenderError) -> AppError {
    AppError::Internal(error.to_string())
}

fn file_stem(focus: &Focus) -> String {
    format!("{}-{}", focus.campaign.term_start, focus.unit.name)
}

/// `GET /campaigns/{id}/schedule.xlsx`: the plans of the focus subtree.
pub(super) async fn schedule_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        let (plans, _) =
            state.store.plans(focus.campaign.id, &focus.unit.path, None, 0, EXPORT_LIMIT).await?;
        let columns = SCHEDULE_HEADERS
            .iter()
            .zip([10.0, 44.0, 24.0, 10.0, 13.0, 13.0, 13.0, 20.0, 24.0, 10.0, 12.0, 18.0])
            .map(|((vi, en), width)| SheetColumn::new(lang.pick(vi, en), width))
            .collect();
        let rows = plans
            .iter()
            .map(|plan| {
                let date = |date: Option<time::Date>| date.map(Cell::Date).unwrap_or(Cell::Empty);
                vec![
                    Cell::Int(plan.unit_id),
                    Cell::Text(plan.unit_name.clone()),
                    Cell::Text(level_label(lang, plan.level).into()),
                    Cell::Int(plan.members),
                    date(plan.starts_on),
                    date(plan.ends_on),
                    date(plan.notice_on),
                    Cell::Text(lang.pick(plan.kind.label_vi(), plan.kind.label_en()).into()),
                    Cell::Text(lang.pick(plan.content.label_vi(), plan.content.label_en()).into()),
                    Cell::Text(if plan.pilot { lang.pick("có", "yes") } else { "" }.into()),
                    Cell::Int(plan.delegates_up),
                    Cell::Text(status_label(lang, plan.status).into()),
                ]
            })
            .collect();
        let sheet =
            Sheet { name: lang.pick("Lịch đại hội", "Schedule").into(), columns, rows };
        let bytes = xlsx_table(&[sheet]).map_err(xlsx_error)?;
        Ok(attachment(XLSX, &format!("lich-dai-hoi-{}.xlsx", file_stem(&focus)), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn parse_kind(text: &str) -> Option<CongressKind> {
    let folded = daihoi_core::vn::fold(text);
    CongressKind::ALL.iter().copied().find(|kind| {
        kind.code() == folded
            || daihoi_core::vn::fold(kind.label_vi()) == folded
            || kind.label_en().eq_ignore_ascii_case(text.trim())
    })
}

fn parse_content(text: &str) -> Option<CongressContent> {
    let folded = daihoi_core::vn::fold(text);
    CongressContent::ALL.iter().copied().find(|content| {
        content.code() == folded
            || daihoi_core::vn::fold(content.label_vi()) == folded
            || content.label_en().eq_ignore_ascii_case(text.trim())
            || (folded.starts_with('4') && *content == CongressContent::FourItems)
            || (folded.starts_with('2') && *content == CongressContent::TwoItems)
    })
}

/// One problem of an imported file: row, column, message.
type FileProblem = (u32, String, String);

fn read_schedule_file(
    bytes: &[u8],
    file_name: &str,
    lang: Lang,
) -> Result<Vec<PlanEdit>, Vec<FileProblem>> {
    let format = TableFormat::detect(file_name, bytes);
    let table = read_table(bytes, format).map_err(|problem| {
        vec![(0, String::new(), lang.pick(&problem.message_vi, &problem.message_en).to_string())]
    })?;
    let column = |index: usize| -> Option<usize> {
        let (vi, en) = SCHEDULE_HEADERS[index];
        table.headers.iter().position(|header| {
            daihoi_core::vn::fold(header) == daihoi_core::vn::fold(vi)
                || header.eq_ignore_ascii_case(en)
        })
    };
    let Some(id_column) = column(0) else {
        return Err(vec![(
            1,
            SCHEDULE_HEADERS[0].0.into(),
            lang.pick("Thiếu cột “Mã đơn vị”.", "The “Unit id” column is missing.").into(),
        )]);
    };
    let mut problems = Vec::new();
    let mut edits = Vec::new();
    for row in &table.rows {
        let cell = |index: usize| {
            column(index).and_then(|at| row.cells.get(at)).cloned().unwrap_or(InCell::Empty)
        };
        let mut problem = |index: usize, vi: &str, en: &str| {
            let header = lang.pick(SCHEDULE_HEADERS[index].0, SCHEDULE_HEADERS[index].1);
            problems.push((row.number, header.to_string(), lang.pick(vi, en).to_string()));
        };
        let unit_id = match row.cells.get(id_column) {
            Some(InCell::Int(id)) => *id,
            Some(other) => match other.text().and_then(|text| text.trim().parse::<i64>().ok()) {
                Some(id) => id,
                None => {
                    if !other.is_empty() {
                        problem(0, "Mã đơn vị không hợp lệ.", "Not a unit id.");
                    }
                    continue;
                }
            },
            None => continue,
        };
        let mut date = |index: usize| match cell(index) {
            InCell::Empty => None,
            InCell::Date(date) => Some(date),
            other => {
                let parsed = other.text().as_deref().and_then(super::parse_day);
                if parsed.is_none() {
                    problem(index, "Ngày không hợp lệ (dd/mm/yyyy).", "Not a date (dd/mm/yyyy).");
                }
                parsed
            }
        };
        let starts_on = date(4);
        let ends_on = date(5);
        let notice_on = date(6);
        let text = |index: usize| cell(index).text().unwrap_or_default();
        let kind = match text(7) {
            value if value.is_empty() => CongressKind::Members,
            value => parse_kind(&value).unwrap_or_else(|| {
                problem(
                    7,
                    "Hình thức phải là đại hội đảng viên hoặc đại biểu.",
                    "The format must be members' or delegates'.",
                );
                CongressKind::Members
            }),
        };
        let content = match text(8) {
            value if value.is_empty() => CongressContent::FourItems,
            value => parse_content(&value).unwrap_or_else(|| {
                problem(
                    8,
                    "Nội dung phải là 4 hoặc 2 nội dung.",
                    "The content must be 4 or 2 items.",
                );
                CongressContent::FourItems
            }),
        };
        let pilot = matches!(daihoi_core::vn::fold(&text(9)).as_str(), "co" | "x" | "1" | "yes");
        let delegates_up = match cell(10) {
            InCell::Empty => 0,
            InCell::Int(n) => n,
            other => other.text().and_then(|text| text.trim().parse().ok()).unwrap_or_else(|| {
                problem(10, "Số đại biểu không hợp lệ.", "Not a number of delegates.");
                0
            }),
        };
        edits.push(PlanEdit {
            unit_id,
            starts_on,
            ends_on,
            notice_on,
            kind,
            content,
            pilot,
            delegates_up,
        });
    }
    if problems.is_empty() { Ok(edits) } else { Err(problems) }
}

/// `POST /campaigns/{id}/schedule/import`: an XLSX (or CSV) of the schedule, checked whole.
pub(super) async fn import_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
    body: Bytes,
) -> Response {
    let result = async {
        let lang = user.lang;
        let focus = focus(&state, &user, id, &query, Action::EditUnits).await?;
        let content_type =
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let parts = multipart(content_type, &body).ok_or_else(|| {
            AppError::bad_request("Không đọc được tệp gửi lên.", "The upload could not be read.")
        })?;
        let file = parts
            .iter()
            .find(|part| part.name == "file" && !part.data.is_empty())
            .ok_or_else(|| {
                AppError::bad_request("Hãy chọn tệp XLSX hoặc CSV.", "Choose an XLSX or CSV file.")
            })?;
        let file_name = file.filename.clone().unwrap_or_else(|| "lich.xlsx".into());
        let mut problems = match read_schedule_file(&file.data, &file_name, lang) {
            Ok(edits) => {
                rows_in_focus(&state, &focus, &edits).await.map_err(|_| {
                    AppError::bad_request(
                        "Tệp có đơn vị không thuộc phạm vi đang xem.",
                        "The file names a unit outside the subtree shown.",
                    )
                })?;
                let errors = state.store.check_plan_edits(&focus.campaign, &edits).await?;
                if errors.is_empty() {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    let changed = state
                        .store
                        .schedule_plans(&mut tx, &focus.campaign, calendar(), &edits, focus.today)
                        .await?;
                    tx.commit().await?;
                    return Ok(Redirect::to(&format!(
                        "/campaigns/{}/schedule?unit={}&done={changed}",
                        focus.campaign.id, focus.unit.id
                    ))
                    .into_response());
                }
                errors
                    .into_iter()
                    .map(|error| {
                        (
                            u32::try_from(error.row + 2).unwrap_or(u32::MAX),
                            error.field.to_string(),
                            lang.pick(&error.message_vi, &error.message_en).to_string(),
                        )
                    })
                    .collect()
            }
            Err(problems) => problems,
        };
        problems.truncate(200);
        let summary = problems
            .iter()
            .map(|(row, column, message)| {
                if *row == 0 {
                    message.clone()
                } else {
                    format!("{} {row}, {column}: {message}", lang.pick("Dòng", "Row"))
                }
            })
            .collect::<Vec<_>>()
            .join(" · ");
        let response = render_schedule(
            &state,
            &user,
            &headers,
            &focus,
            &query,
            None,
            Vec::new(),
            Some(format!(
                "{} {summary}",
                lang.pick("Chưa nhập gì: tệp có lỗi.", "Nothing imported: the file has problems.")
            )),
        )
        .await?;
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, response).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// The figures of the dashboard and the report.
struct Figures {
    levels: Vec<super::LevelFigures>,
    by_status: Vec<(Status, i64)>,
    reported: i64,
    problems: Vec<super::ProblemView>,
    approval_overdue: usize,
}

async fn figures(state: &AppState, lang: Lang, focus: &Focus) -> Result<Figures, AppError> {
    let rollup = state.store.campaign_rollup(focus.campaign.id, &focus.unit.path).await?;
    let found = state
        .store
        .campaign_problems(&focus.campaign, calendar(), &focus.unit.path, focus.today, 0, 500)
        .await?;
    Ok(Figures {
        levels: level_figures(lang, &focus.campaign, &rollup, focus.today),
        by_status: Status::ALL
            .into_iter()
            .map(|status| (status, rollup.with_status(status)))
            .collect(),
        reported: rollup.with_status(Status::Reported),
        approval_overdue: found
            .iter()
            .filter(|row| row.problem.kind == daihoi_core::campaign::ProblemKind::ApprovalOverdue)
            .count(),
        problems: found
            .iter()
            .filter(|row| row.problem.kind.severity() == Severity::Late)
            .chain(found.iter().filter(|row| row.problem.kind.severity() == Severity::AtRisk))
            .map(|row| problem_view(lang, row))
            .collect(),
    })
}

/// `GET /campaigns/{id}/dashboard.xlsx`: the dashboard's figures.
pub(super) async fn dashboard_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        let figures = figures(&state, lang, &focus).await?;
        let t = |vi: &str, en: &str, width: f64| SheetColumn::new(lang.pick(vi, en), width);
        let by_level = Sheet {
            name: lang.pick("Theo cấp", "By level").into(),
            columns: vec![
                t("Cấp", "Level", 34.0),
                t("Tổng số", "Units", 10.0),
                t("Đã đại hội", "Held", 10.0),
                t("Tỷ lệ", "Share", 10.0),
                t("Hạn chót", "Deadline", 12.0),
                t("Đại hội sau hạn", "Held late", 12.0),
                t("Còn lại", "Remaining", 10.0),
                t("Đã chuẩn y", "Approved", 10.0),
                t("Đại hội điểm đã tổ chức", "Pilots held", 14.0),
            ],
            rows: figures
                .levels
                .iter()
                .map(|level| {
                    vec![
                        Cell::Text(level.label.into()),
                        Cell::Int(level.total),
                        Cell::Int(level.held),
                        Cell::Percent {
                            part: u64::try_from(level.held).unwrap_or(0),
                            whole: u64::try_from(level.total).unwrap_or(0),
                        },
                        super::parse_day(&level.deadline).map(Cell::Date).unwrap_or(Cell::Empty),
                        Cell::Int(level.held_late),
                        Cell::Int(level.remaining),
                        Cell::Int(level.approved),
                        Cell::Int(level.pilots_held),
                    ]
                })
                .collect(),
        };
        let by_status = Sheet {
            name: lang.pick("Theo trạng thái", "By status").into(),
            columns: vec![t("Trạng thái", "Status", 24.0), t("Số đơn vị", "Units", 10.0)],
            rows: figures
                .by_status
                .iter()
                .map(|(status, count)| {
                    vec![Cell::Text(status_label(lang, *status).into()), Cell::Int(*count)]
                })
                .collect(),
        };
        let late = Sheet {
            name: lang.pick("Chậm, có nguy cơ", "Late and at risk").into(),
            columns: vec![
                t("Đơn vị", "Unit", 44.0),
                t("Cấp", "Level", 24.0),
                t("Mức độ", "Severity", 12.0),
                t("Lý do", "Reason", 50.0),
                t("Hạn", "Due", 12.0),
                t("Trạng thái", "Status", 18.0),
            ],
            rows: figures
                .problems
                .iter()
                .map(|problem| {
                    vec![
                        Cell::Text(problem.unit_name.clone()),
                        Cell::Text(problem.level.into()),
                        Cell::Text(
                            if problem.late {
                                lang.pick("Chậm", "Late")
                            } else {
                                lang.pick("Có nguy cơ", "At risk")
                            }
                            .into(),
                        ),
                        Cell::Text(match &problem.other {
                            Some(other) => format!("{} ({other})", problem.reason),
                            None => problem.reason.into(),
                        }),
                        super::parse_day(&problem.due).map(Cell::Date).unwrap_or(Cell::Empty),
                        Cell::Text(problem.status.into()),
                    ]
                })
                .collect(),
        };
        let bytes = xlsx_table(&[by_level, by_status, late]).map_err(xlsx_error)?;
        Ok(attachment(XLSX, &format!("tien-do-{}.xlsx", file_stem(&focus)), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn progress_report(lang: Lang, focus: &Focus, figures: &Figures) -> Report {
    let mut blocks = vec![
        Block::Paragraph(
            Paragraph::new(vec![Span::bold(lang.pick(
                "BÁO CÁO TIẾN ĐỘ ĐẠI HỘI ĐẢNG BỘ CÁC CẤP",
                "CONGRESS CAMPAIGN PROGRESS REPORT",
            ))])
            .aligned(Align::Center),
        ),
        Block::Paragraph(Paragraph::text(focus.campaign.name.clone()).aligned(Align::Center)),
        Block::Paragraph(
            Paragraph::new(vec![Span::italic(format!(
                "{} {} · {} {}",
                lang.pick("Phạm vi:", "Scope:"),
                focus.unit.name,
                lang.pick("tính đến ngày", "as of"),
                daihoi_core::date::dd_mm_yyyy(focus.today)
            ))])
            .aligned(Align::Center),
        ),
        Block::Paragraph(Paragraph::text(format!(
            "{} {}",
            lang.pick("Căn cứ:", "Under:"),
            focus.campaign.directive
        ))),
        Block::Heading(
            lang.pick("1. Kết quả đại hội theo cấp", "1. Congresses held by level").into(),
        ),
    ];
    let mut rows: Vec<Row> = figures
        .levels
        .iter()
        .map(|level| {
            Row::new(vec![
                level.label.to_string(),
                level.held.to_string(),
                level.total.to_string(),
                format!("{}%", level.percent),
                super::parse_day(&level.deadline)
                    .map(daihoi_core::date::dd_mm_yyyy)
                    .unwrap_or_default(),
                level.held_late.to_string(),
            ])
        })
        .collect();
    let held: i64 = figures.levels.iter().map(|level| level.held).sum();
    let total: i64 = figures.levels.iter().map(|level| level.total).sum();
    rows.push(Row::bold(vec![
        lang.pick("Cộng", "Total").into(),
        held.to_string(),
        total.to_string(),
        format!("{}%", if total > 0 { held * 100 / total } else { 0 }),
        String::new(),
        figures.levels.iter().map(|level| level.held_late).sum::<i64>().to_string(),
    ]));
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new(lang.pick("Cấp", "Level"), 34, Align::Left),
            Column::new(lang.pick("Đã đại hội", "Held"), 12, Align::Right),
            Column::new(lang.pick("Tổng số", "Units"), 12, Align::Right),
            Column::new(lang.pick("Tỷ lệ", "Share"), 10, Align::Right),
            Column::new(lang.pick("Hạn chót", "Deadline"), 16, Align::Center),
            Column::new(lang.pick("Sau hạn", "Late"), 10, Align::Right),
        ],
        rows,
        size: 11.0,
    }));
    blocks.push(Block::Heading(lang.pick("2. Đại hội điểm", "2. Pilot congresses").into()));
    let pilots: Vec<String> = figures
        .levels
        .iter()
        .filter(|level| level.pilots_held > 0)
        .map(|level| format!("{}: {}", level.label, level.pilots_held))
        .collect();
    blocks.push(Block::Paragraph(Paragraph::text(if pilots.is_empty() {
        lang.pick("Chưa có đại hội điểm nào được tổ chức.", "No pilot congress held yet.")
            .to_string()
    } else {
        format!(
            "{} {}.",
            lang.pick("Đã tổ chức đại hội điểm —", "Pilot congresses held —"),
            pilots.join("; ")
        )
    })));
    blocks.push(Block::Heading(
        lang.pick("3. Báo cáo kết quả và chuẩn y", "3. Reporting and approval").into(),
    ));
    blocks.push(Block::Paragraph(Paragraph::text(format!(
        "{}: {}. {}: {}.",
        lang.pick("Kết quả đã báo cáo, chờ chuẩn y", "Results reported, awaiting approval"),
        figures.reported,
        lang.pick("Quá 15 ngày làm việc chưa chuẩn y", "Not approved within 15 working days"),
        figures.approval_overdue
    ))));
    blocks.push(Block::Heading(
        lang.pick("4. Đơn vị chậm tiến độ, có nguy cơ", "4. Late and at-risk units").into(),
    ));
    if figures.problems.is_empty() {
        blocks.push(Block::Paragraph(Paragraph::text(lang.pick("Không có.", "None."))));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new(lang.pick("Đơn vị", "Unit"), 36, Align::Left),
                Column::new(lang.pick("Lý do", "Reason"), 44, Align::Left),
                Column::new(lang.pick("Hạn", "Due"), 16, Align::Center),
            ],
            rows: figures
                .problems
                .iter()
                .take(60)
                .map(|problem| {
                    Row::new(vec![
                        problem.unit_name.clone(),
                        match &problem.other {
                            Some(other) => format!("{} ({other})", problem.reason),
                            None => problem.reason.to_string(),
                        },
                        super::parse_day(&problem.due)
                            .map(daihoi_core::date::dd_mm_yyyy)
                            .unwrap_or_default(),
                    ])
                })
                .collect(),
            size: 10.0,
        }));
    }
    Report {
        paper: Paper::A4,
        title: lang.pick("Báo cáo tiến độ đại hội", "Campaign progress report").into(),
        header: None,
        blocks,
        page_numbers: true,
    }
}

/// `GET /campaigns/{id}/report.docx`.
pub(super) async fn progress_docx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        let figures = figures(&state, user.lang, &focus).await?;
        let bytes = daihoi_render::report_docx(&progress_report(user.lang, &focus, &figures))
            .map_err(xlsx_error)?;
        Ok(attachment(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &format!("bao-cao-tien-do-{}.docx", file_stem(&focus)),
            bytes,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `GET /campaigns/{id}/report.pdf`.
pub(super) async fn progress_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        let figures = figures(&state, user.lang, &focus).await?;
        let bytes = daihoi_render::report_pdf(&progress_report(user.lang, &focus, &figures))
            .map_err(xlsx_error)?;
        Ok(attachment(
            "application/pdf",
            &format!("bao-cao-tien-do-{}.pdf", file_stem(&focus)),
            bytes,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}
