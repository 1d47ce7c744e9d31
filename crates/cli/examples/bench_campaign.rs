//! Campaign benchmarks on a generated tree: the status recomputation after a bulk import of
//! 50,000 congress dates, and the dashboard and problems pages answered by the real router
//! (in process, no socket), p50 and p95 over repeated requests.
//!
//! `cargo run --release -p daihoi --example bench_campaign -- [DATABASE_URL]`
//! Environment: `UNITS` (350000; the tree is generated when the database is empty), `MEMBERS`
//! (17 per cell, as `daihoi generate --members-per-unit`), `RUNS`
//! (20 timed requests per page after 3 warm-ups), `ON` (2025-06-20, the day pages judge on).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use daihoi_core::access::Role;
use daihoi_core::campaign::{Level, template};
use daihoi_demo::generate::{GenerateOptions, generate};
use daihoi_store::campaign::{CampaignInput, PlanEdit};
use daihoi_store::congress::CongressContent;
use daihoi_store::{Actor, Page, Store, UnitSort};
use daihoi_web::{AppState, Config, router};
use tower::ServiceExt;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn percentile(times: &mut [Duration], share: f64) -> Duration {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * share).round() as usize;
    times[index.min(times.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite:///var/tmp/daihoi-campaign-bench/campaign.db".into());
    if let Some(path) = url.strip_prefix("sqlite://")
        && let Some(dir) = std::path::Path::new(path.split('?').next().unwrap_or(path)).parent()
    {
        std::fs::create_dir_all(dir)?;
    }
    let units: u64 = env_or("UNITS", 350_000);
    let members_per_unit: u64 = env_or("MEMBERS", 17);
    let runs: usize = env_or("RUNS", 20);
    let on: String = env_or("ON", "2025-06-20".to_string());
    let today = daihoi_core::calendar::parse_iso(&on).context("ON is not a date")?;
    let store = Store::connect(&url).await?;
    if store.root_units().await?.is_empty() {
        let started = Instant::now();
        let options = GenerateOptions { units, members_per_unit, seed: 1 };
        generate(&store, options, &|_| {}).await?;
        println!("generate {units} units: {:.1} s", started.elapsed().as_secs_f64());
    }
    let root = store.root_units().await?.remove(0);
    println!("tree: {} units under the root", root.sub_units + 1);
    let actor = Actor::system("bench");

    let campaign = match store.campaigns(&[]).await?.into_iter().next() {
        Some(campaign) => campaign,
        None => {
            let started = Instant::now();
            let mut tx = store.begin_write(&actor).await?;
            let input = CampaignInput::from_template(&template("ct45-2025").unwrap(), root.id);
            let campaign = store.create_campaign(&mut tx, input).await?;
            tx.commit().await?;
            println!(
                "create the campaign (one plan row per unit): {:.2} s",
                started.elapsed().as_secs_f64()
            );
            campaign
        }
    };

    // 50,000 congress dates: cells, then grassroots, spread over their windows.
    let calendar = daihoi_core::calendar::WorkCalendar::vietnam();
    let mut edits = Vec::new();
    for level in [Level::Cell, Level::Grassroots] {
        let rule = campaign.rule(level).context("level")?;
        let start = rule.window_start.context("window")?;
        let (plans, _) = store.plans(campaign.id, &root.path, Some(level), 0, 50_000).await?;
        for (index, plan) in plans.iter().enumerate() {
            if edits.len() == 50_000 {
                break;
            }
            let day = calendar.add_working_days(start, (index % 55) as u32);
            edits.push(PlanEdit {
                unit_id: plan.unit_id,
                starts_on: Some(day),
                ends_on: Some(day),
                notice_on: Some(calendar.sub_working_days(day, 30 + (index % 3) as u32)),
                kind: plan.kind,
                content: CongressContent::FourItems,
                pilot: false,
                delegates_up: 1,
            });
        }
    }
    let started = Instant::now();
    let mut tx = store.begin_write(&actor).await?;
    store.schedule_plans(&mut tx, &campaign, &calendar, &edits, today).await?;
    tx.commit().await?;
    println!(
        "import {} congress dates (one transaction, statuses included): {:.2} s",
        edits.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let mut tx = store.begin_write(&actor).await?;
    let derived = store.recompute_campaign(&mut tx, campaign.id, today).await?;
    tx.commit().await?;
    println!(
        "recompute every unit's status ({} rows, {derived} written): {:.2} s",
        root.sub_units + 1,
        started.elapsed().as_secs_f64()
    );

    // Pages, as an administrator of the whole tree.
    let user = match store.user_by_username("bench.campaign").await {
        Ok(user) => user,
        Err(_) => {
            let mut tx = store.begin_write(&actor).await?;
            let user = store
                .create_user(&mut tx, "bench.campaign", "bench", "bench-password-2025", "vi")
                .await?;
            store.grant_role(&mut tx, user.id, Role::Admin, root.id).await?;
            tx.commit().await?;
            user
        }
    };
    let secret = store.create_session(user.id).await?;
    let cookie = format!("daihoi_session={secret}");
    let app = router(
        AppState::new(store.clone(), Config::default()).map_err(|e| anyhow::anyhow!("{e:?}"))?,
    );
    let province = store
        .children(root.id, UnitSort::Members, false, false, Page::new(1, 1))
        .await?
        .items
        .into_iter()
        .next()
        .context("a province")?;
    let c = campaign.id;
    let pages = [
        ("national dashboard", format!("/campaigns/{c}?on={on}")),
        ("province dashboard", format!("/campaigns/{c}?unit={}&on={on}", province.id)),
        ("national problems page", format!("/campaigns/{c}/problems?on={on}")),
        ("province problems page", format!("/campaigns/{c}/problems?unit={}&on={on}", province.id)),
    ];
    for (name, uri) in pages {
        let mut times = Vec::new();
        let mut size = 0;
        for run in 0..runs + 3 {
            let request = Request::builder()
                .uri(&uri)
                .header(header::HOST, "localhost")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())?;
            let started = Instant::now();
            let response = app.clone().oneshot(request).await?;
            let status = response.status();
            let body = to_bytes(response.into_body(), 64 * 1024 * 1024).await?;
            let elapsed = started.elapsed();
            anyhow::ensure!(status == StatusCode::OK, "{uri}: {status}");
            size = body.len();
            if run >= 3 {
                times.push(elapsed);
            }
        }
        let p50 = percentile(&mut times, 0.5);
        let p95 = percentile(&mut times, 0.95);
        println!(
            "{name} ({uri}): p50 {:.1} ms, p95 {:.1} ms, {} KB",
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            size / 1024
        );
    }
    Ok(())
}
