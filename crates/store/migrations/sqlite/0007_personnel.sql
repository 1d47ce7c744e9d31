-- Personnel: the planned size of the new committee, candidate dossiers, the 5-step procedure's
-- meetings and votes, delegate allocation among subordinate units, and the change counter the
-- composition statistics cache is keyed by.
-- Kept in step with ../postgres/0007_personnel.sql.

CREATE TABLE personnel_plans (
    congress_id BIGINT PRIMARY KEY REFERENCES congresses(id),
    campaign TEXT NOT NULL,
    level TEXT NOT NULL,
    reference_date TEXT NOT NULL,
    committee_size BIGINT,
    standing_size BIGINT,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    unit_path TEXT NOT NULL,
    member_id BIGINT REFERENCES members(id),
    person_id BIGINT REFERENCES congress_people(id),
    full_name TEXT NOT NULL,
    name_key BYTEA NOT NULL,
    birth TEXT,
    sex TEXT,
    ethnicity TEXT,
    hometown TEXT,
    education TEXT,
    theory_level TEXT,
    joined_date TEXT,
    current_post TEXT,
    planned_post TEXT NOT NULL,
    incumbent BIGINT NOT NULL,
    science_tech BIGINT NOT NULL DEFAULT 0,
    origin_unit_id BIGINT REFERENCES units(id),
    origin TEXT,
    note TEXT,
    elected BIGINT NOT NULL DEFAULT 0,
    elected_directly BIGINT NOT NULL DEFAULT 0,
    non_local BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX dossiers_congress ON dossiers (congress_id, name_key);
CREATE INDEX dossiers_path ON dossiers (unit_path, elected);

CREATE TABLE step_meetings (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    track TEXT NOT NULL,
    step BIGINT NOT NULL,
    held_on TEXT,
    summoned BIGINT NOT NULL,
    attended BIGINT NOT NULL,
    places BIGINT,
    tie_pending BIGINT NOT NULL DEFAULT 0,
    tie_note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX step_meetings_step ON step_meetings (congress_id, track, step);

CREATE TABLE step_votes (
    meeting_id BIGINT NOT NULL REFERENCES step_meetings(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    votes BIGINT NOT NULL,
    passed BIGINT NOT NULL,
    carried BIGINT NOT NULL,
    tie_decided BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, dossier_id)
);

CREATE TABLE allocations (
    congress_id BIGINT PRIMARY KEY REFERENCES congresses(id),
    total_seats BIGINT NOT NULL,
    base_per_unit BIGINT NOT NULL,
    method TEXT NOT NULL,
    alternates_per_unit BIGINT NOT NULL DEFAULT 0,
    pool BIGINT NOT NULL,
    total_members BIGINT NOT NULL,
    tie_units TEXT,
    tie_decision TEXT,
    tie_note TEXT,
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE allocation_units (
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    members BIGINT NOT NULL,
    ex_officio BIGINT NOT NULL,
    base BIGINT NOT NULL,
    quota TEXT NOT NULL,
    proportional BIGINT NOT NULL,
    adjustment BIGINT NOT NULL,
    elected BIGINT NOT NULL,
    total BIGINT NOT NULL,
    alternates BIGINT NOT NULL,
    appointed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (congress_id, unit_id)
);

CREATE TABLE personnel_changes (
    id BIGINT PRIMARY KEY,
    counter BIGINT NOT NULL
);
INSERT INTO personnel_changes (id, counter) VALUES (1, 0);
