-- The congress campaign: campaigns with their per-level timetable, and one planned congress
-- per unit per campaign with the facts its status is derived from (copied from `congresses`,
-- `congress_sessions` and `approvals` by the set-based recomputation).
-- Kept in step with ../postgres/0006_campaign.sql.

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    term_start BIGINT NOT NULL,
    term_end BIGINT NOT NULL,
    directive TEXT NOT NULL,
    guidance TEXT NOT NULL,
    template TEXT,
    root_unit_id BIGINT NOT NULL REFERENCES units(id),
    root_path TEXT NOT NULL,
    statuses_on TEXT,
    statuses_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX campaigns_root ON campaigns (root_path);

CREATE TABLE campaign_levels (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    level TEXT NOT NULL,
    window_start TEXT,
    window_end TEXT,
    deadline TEXT,
    max_days BIGINT,
    age_reference TEXT,
    pilot_start TEXT,
    pilot_end TEXT,
    PRIMARY KEY (campaign_id, level)
);

CREATE TABLE campaign_plans (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    parent_id BIGINT,
    level TEXT NOT NULL,
    starts_on TEXT,
    ends_on TEXT,
    notice_on TEXT,
    notice_days BIGINT,
    length_days BIGINT,
    approval_due TEXT,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    pilot BIGINT NOT NULL DEFAULT 0,
    delegates_up BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    congress_id BIGINT,
    held_start TEXT,
    held_end TEXT,
    reported_at BIGINT,
    decided_at BIGINT,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX campaign_plans_unit ON campaign_plans (campaign_id, unit_id);
CREATE INDEX campaign_plans_path ON campaign_plans (campaign_id, unit_path, level, status);
CREATE INDEX campaign_plans_parent ON campaign_plans (campaign_id, parent_id);
