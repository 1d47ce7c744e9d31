//! Durability: the real server is killed (SIGKILL) in the middle of a large import. After a
//! restart the database is consistent (stored totals equal a recomputation, the audit chain
//! verifies), the killed import is entirely absent or entirely present, and every import the
//! server had acknowledged is there. Runs on SQLite, and on PostgreSQL when
//! `DAIHOI_TEST_POSTGRES_URL` is set.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use common::{TempDir, UNITS_CSV, daihoi, daihoi_with_input, stderr, stdout, write};
use daihoi_store::{MemberFilter, MemberSort, Page, Store};

const PASSWORD: &str = "durability-test-password";

/// The server under test: the real binary on a free loopback port.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_daihoi"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start daihoi serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        // The server prints its address once it listens; reading it is the wait.
        let addr = loop {
            let line = lines.next().expect("daihoi serve printed its address").expect("stderr");
            if let Some(rest) = line.strip_prefix("daihoi: serving on http://") {
                break rest.trim_end_matches('/').to_string();
            }
        };
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, addr }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

/// One HTTP/1.1 exchange over a fresh connection: status, headers, body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookies: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> (u16, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(addr).expect("connect to daihoi");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookies}\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    if let Some(content_type) = content_type {
        request.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send the request");
    stream.write_all(body).expect("send the body");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read the response");
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    // Chunked bodies keep their chunk-size lines; the tests only search the body for text.
    (status, headers, body.to_string())
}

fn set_cookie(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .filter(|(header, _)| header == "set-cookie")
        .filter_map(|(_, value)| value.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// A logged-in browser session: the cookie and the CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

fn login(addr: &str) -> Session {
    let (_, headers, _) = http(addr, "GET", "/login", "", None, b"");
    let anon = set_cookie(&headers, "daihoi_csrf").expect("a CSRF cookie for the login form");
    let form = format!("_csrf={anon}&username=admin&password={PASSWORD}&next=%2F");
    let (status, headers, _) = http(
        addr,
        "POST",
        "/login",
        &format!("daihoi_csrf={anon}"),
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
    );
    assert_eq!(status, 303, "login");
    let secret = set_cookie(&headers, "daihoi_session").expect("a session cookie");
    let cookie = format!("daihoi_session={secret}");
    let (_, _, page) = http(addr, "GET", "/", &cookie, None, b"");
    let csrf =
        between(&page, "name=\"csrf-token\" content=\"", "\"").expect("csrf meta").to_string();
    Session { cookie, csrf }
}

/// Uploads a file for import under `unit` and confirms it; returns the job page's path.
fn start_import(
    addr: &str,
    session: &Session,
    unit: i64,
    what: &str,
    name: &str,
    data: &[u8],
) -> String {
    let boundary = "daihoi-durability-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\n{what}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, _, preview) = http(
        addr,
        "POST",
        &format!("/units/{unit}/import?_csrf={}", session.csrf),
        &session.cookie,
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &body,
    );
    assert_eq!(status, 200, "preview of {name}: {preview}");
    let action = format!("/units/{unit}/import/");
    let token = between(&preview, &format!("action=\"{action}"), "\"").expect("a confirm form");
    let (status, headers, _) = http(
        addr,
        "POST",
        &format!("{action}{token}"),
        &session.cookie,
        Some("application/x-www-form-urlencoded"),
        format!("_csrf={}", session.csrf).as_bytes(),
    );
    assert_eq!(status, 303, "confirm {name}");
    headers.iter().find(|(h, _)| h == "location").map(|(_, v)| v.clone()).expect("job page")
}

/// Polls the job until it finishes; true when the server acknowledged the import.
fn wait_acknowledged(addr: &str, session: &Session, job: &str) -> bool {
    loop {
        let (status, _, fragment) =
            http(addr, "GET", &format!("{job}/progress"), &session.cookie, None, b"");
        assert_eq!(status, 200);
        if fragment.contains("notice-ok") {
            return true;
        }
        if !fragment.contains("hx-trigger") {
            return false;
        }
    }
}

fn members_csv(prefix: &str, count: usize) -> Vec<u8> {
    let mut csv =
        String::from("Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Chính thức/Dự bị,Đơn vị\n");
    for index in 0..count {
        let membership = if index % 20 == 0 { "Dự bị" } else { "Chính thức" };
        csv.push_str(&format!(
            "{prefix} {index},01/02/1980,Nam,03/02/2005,{membership},Chi bộ tổ dân phố 5\n"
        ));
    }
    csv.into_bytes()
}

async fn count_named(store: &Store, prefix: &str) -> i64 {
    let filter = MemberFilter { query: Some(prefix.into()), ..MemberFilter::default() };
    store
        .members(&filter, MemberSort::Name, false, Page::new(1, 1))
        .await
        .expect("count members")
        .total
}

fn story(url: &str, dir: &std::path::Path) -> (Vec<&'static str>, &'static str, usize) {
    let units = write(dir, "units.csv", UNITS_CSV.as_bytes());
    let output = daihoi(&["import", "units", units.to_str().unwrap(), "--database-url", url]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = daihoi_with_input(&["user", "add", "admin", "--database-url", url], PASSWORD);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let server = Server::start(url);
    let session = login(&server.addr);
    // Acknowledged changes: units and members imported through the web, each confirmed done.
    let acknowledged = ["Hoàng Văn Một", "Hoàng Văn Hai", "Hoàng Văn Ba"];
    for (index, prefix) in acknowledged.iter().enumerate() {
        let job = start_import(
            &server.addr,
            &session,
            4,
            "members",
            &format!("m{index}.csv"),
            &members_csv(prefix, 40),
        );
        assert!(wait_acknowledged(&server.addr, &session, &job), "import {index} acknowledged");
    }
    let extra_units = "Tên đơn vị;Loại;Số đảng viên chính thức\nChi bộ tổ dân phố 9;Chi bộ;11\n";
    let job = start_import(&server.addr, &session, 4, "units", "u.csv", extra_units.as_bytes());
    assert!(wait_acknowledged(&server.addr, &session, &job));

    // A large import, killed as soon as it has visibly started writing.
    let killed = "Trần Văn Ngắt";
    let size = 20_000;
    let job =
        start_import(&server.addr, &session, 4, "members", "big.csv", &members_csv(killed, size));
    loop {
        let (_, _, fragment) =
            http(&server.addr, "GET", &format!("{job}/progress"), &session.cookie, None, b"");
        let started =
            between(&fragment, "<progress max=\"100\" value=\"", "\"").is_some_and(|v| v != "0");
        if started || !fragment.contains("hx-trigger") {
            break;
        }
    }
    server.kill();
    (acknowledged.to_vec(), killed, size)
}

async fn check_after_restart(url: &str, acknowledged: &[&str], killed: &str, size: usize) {
    let server = Server::start(url);
    let (status, _, _) = http(&server.addr, "GET", "/healthz", "", None, b"");
    assert_eq!(status, 200, "the server starts again");
    server.kill();
    let verify = daihoi(&["audit", "verify", "--database-url", url]);
    assert_eq!(verify.status.code(), Some(0), "{}{}", stdout(&verify), stderr(&verify));
    let store = Store::connect(url).await.expect("open the database");
    assert_eq!(store.consistency_problems().await.expect("recompute"), Vec::<String>::new());
    for prefix in acknowledged {
        assert_eq!(count_named(&store, prefix).await, 40, "acknowledged import {prefix}");
    }
    let found = store.search_units("to dan pho 9", &[], false, 5).await.expect("search");
    assert_eq!(found.len(), 1, "acknowledged units import");
    let partial = count_named(&store, killed).await;
    eprintln!("{url}: the killed import left {partial} of {size} rows");
    assert!(
        partial == 0 || partial == size as i64,
        "the killed import is all or nothing: {partial}"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_import_leaves_a_consistent_database_and_every_acknowledged_change() {
    let dir = TempDir::new("daihoi-durability");
    let sqlite = format!("sqlite://{}", dir.0.join("durable.db").display());
    let (acknowledged, killed, size) = {
        let url = sqlite.clone();
        let path = dir.0.clone();
        tokio::task::spawn_blocking(move || story(&url, &path)).await.expect("the story")
    };
    check_after_restart(&sqlite, &acknowledged, killed, size).await;
    if let Some(db) = daihoi_store::testing::postgres().await {
        let url = db.url.clone();
        db.store.close().await;
        let path = dir.0.clone();
        let story_url = url.clone();
        let (acknowledged, killed, size) =
            tokio::task::spawn_blocking(move || story(&story_url, &path)).await.expect("the story");
        check_after_restart(&url, &acknowledged, killed, size).await;
    }
}
