-- Congress day: congresses and their sessions, the roster and its statuses, check-ins, the
-- congress's own bodies and show-of-hands votes, elections with their lists and rounds, the
-- keyed ballots of each counting team, committee decisions, locking, and upward approval.
-- Kept in step with ../postgres/0002_congress.sql.

CREATE TABLE congresses (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    ordinal BIGINT,
    term_start BIGINT NOT NULL,
    term_end BIGINT NOT NULL,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    rules TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT,
    venue TEXT,
    quorum_num BIGINT NOT NULL DEFAULT 2,
    quorum_den BIGINT NOT NULL DEFAULT 3,
    pilot BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    campaign_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX congresses_unit ON congresses (unit_id);
CREATE INDEX congresses_unit_path ON congresses (unit_path);

CREATE TABLE congress_sessions (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    kind TEXT NOT NULL,
    number BIGINT NOT NULL,
    label TEXT NOT NULL,
    starts_on TEXT,
    ends_on TEXT,
    venue TEXT,
    is_current BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX congress_sessions_number ON congress_sessions (congress_id, number);

CREATE TABLE congress_people (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    member_id BIGINT REFERENCES members(id),
    full_name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    name_key BYTEA NOT NULL,
    birth_date TEXT,
    sex TEXT,
    ethnicity TEXT,
    delegation TEXT,
    source_unit_id BIGINT REFERENCES units(id),
    role TEXT NOT NULL,
    alternate_rank BIGINT,
    badge_no BIGINT NOT NULL,
    standing TEXT NOT NULL,
    absence TEXT NOT NULL,
    absence_reason TEXT,
    seated_for BIGINT REFERENCES congress_people(id),
    credentials TEXT NOT NULL,
    credentials_note TEXT,
    decided_by TEXT,
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX congress_people_badge ON congress_people (congress_id, badge_no);
CREATE UNIQUE INDEX congress_people_member ON congress_people (congress_id, member_id) WHERE member_id IS NOT NULL;
CREATE INDEX congress_people_name ON congress_people (congress_id, name_key);
CREATE INDEX congress_people_fold ON congress_people (congress_id, name_fold);

CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    person_id BIGINT NOT NULL REFERENCES congress_people(id),
    session_id BIGINT NOT NULL REFERENCES congress_sessions(id),
    at BIGINT NOT NULL,
    station TEXT,
    by_user BIGINT,
    left_at BIGINT
);
CREATE UNIQUE INDEX checkins_once ON checkins (person_id, session_id);
CREATE INDEX checkins_session ON checkins (congress_id, session_id);

CREATE TABLE congress_bodies (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    body TEXT NOT NULL,
    person_id BIGINT REFERENCES congress_people(id),
    full_name TEXT NOT NULL,
    position TEXT NOT NULL,
    rank BIGINT NOT NULL
);
CREATE INDEX congress_bodies_congress ON congress_bodies (congress_id, body, rank);

CREATE TABLE hand_votes (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    election_id BIGINT,
    round_id BIGINT,
    votes_for BIGINT NOT NULL,
    votes_against BIGINT NOT NULL,
    votes_abstain BIGINT NOT NULL,
    present BIGINT NOT NULL,
    base BIGINT NOT NULL,
    passed BIGINT NOT NULL,
    payload TEXT,
    decided_at BIGINT NOT NULL,
    decided_by TEXT NOT NULL
);
CREATE INDEX hand_votes_congress ON hand_votes (congress_id, decided_at);

CREATE TABLE elections (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    seats BIGINT NOT NULL,
    alternate_seats BIGINT NOT NULL DEFAULT 0,
    electorate TEXT NOT NULL,
    conference_of BIGINT REFERENCES elections(id),
    max_surplus BIGINT,
    status TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX elections_congress ON elections (congress_id, position);

CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    election_id BIGINT NOT NULL REFERENCES elections(id),
    person_id BIGINT REFERENCES congress_people(id),
    member_id BIGINT REFERENCES members(id),
    full_name TEXT NOT NULL,
    name_key BYTEA NOT NULL,
    birth_date TEXT,
    sex TEXT,
    source TEXT NOT NULL,
    opinion_agree BIGINT,
    opinion_present BIGINT,
    admitted BIGINT NOT NULL DEFAULT 0,
    withdrawn BIGINT NOT NULL DEFAULT 0,
    manual_position BIGINT,
    note TEXT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX candidates_election ON candidates (election_id, name_key);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    election_id BIGINT NOT NULL REFERENCES elections(id),
    number BIGINT NOT NULL,
    round_type TEXT NOT NULL,
    seats BIGINT NOT NULL,
    alternate_seats BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    teams BIGINT NOT NULL DEFAULT 2,
    code TEXT NOT NULL,
    ballots_issued BIGINT,
    ballots_collected BIGINT,
    present BIGINT,
    base_json TEXT,
    election_json TEXT,
    result_json TEXT,
    lock_hash TEXT,
    locked_at BIGINT,
    locked_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX rounds_number ON rounds (election_id, number);
CREATE UNIQUE INDEX rounds_code ON rounds (code);

CREATE TABLE round_candidates (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (round_id, candidate_id)
);
CREATE UNIQUE INDEX round_candidates_position ON round_candidates (round_id, position);

-- Keyed ballots. Append-only: an undo is a new row; each team's pile is the replay of its rows.
CREATE TABLE ballot_entries (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    team BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    entered_by BIGINT,
    entered_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ballot_entries_seq ON ballot_entries (round_id, team, seq);

-- The counting committee's decisions on discrepancies between teams and on doubtful ballots.
-- Append-only: a later decision on the same ballot supersedes an earlier one.
CREATE TABLE ballot_decisions (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    ballot_index BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    note TEXT,
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);
CREATE INDEX ballot_decisions_round ON ballot_decisions (round_id, ballot_index, id);

CREATE TABLE approvals (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    parent_unit_id BIGINT NOT NULL REFERENCES units(id),
    parent_unit_path TEXT NOT NULL,
    status TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    reported_by TEXT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT,
    note TEXT
);
CREATE INDEX approvals_parent ON approvals (parent_unit_path, status);
CREATE INDEX approvals_congress ON approvals (congress_id);

CREATE TRIGGER ballot_entries_append_only BEFORE UPDATE ON ballot_entries
BEGIN
    SELECT RAISE(ABORT, 'locked: ballot entries are append-only');
END;
CREATE TRIGGER ballot_entries_no_delete BEFORE DELETE ON ballot_entries
BEGIN
    SELECT RAISE(ABORT, 'locked: ballot entries are append-only');
END;
CREATE TRIGGER ballot_entries_round_locked BEFORE INSERT ON ballot_entries
WHEN (SELECT status FROM rounds WHERE id = NEW.round_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
CREATE TRIGGER ballot_decisions_append_only BEFORE UPDATE ON ballot_decisions
BEGIN
    SELECT RAISE(ABORT, 'locked: committee decisions are append-only');
END;
CREATE TRIGGER ballot_decisions_no_delete BEFORE DELETE ON ballot_decisions
BEGIN
    SELECT RAISE(ABORT, 'locked: committee decisions are append-only');
END;
CREATE TRIGGER ballot_decisions_round_locked BEFORE INSERT ON ballot_decisions
WHEN (SELECT status FROM rounds WHERE id = NEW.round_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
CREATE TRIGGER rounds_locked_update BEFORE UPDATE ON rounds
WHEN OLD.status = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
CREATE TRIGGER rounds_locked_delete BEFORE DELETE ON rounds
WHEN OLD.status = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
CREATE TRIGGER round_candidates_locked_insert BEFORE INSERT ON round_candidates
WHEN (SELECT status FROM rounds WHERE id = NEW.round_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
CREATE TRIGGER round_candidates_locked_update BEFORE UPDATE ON round_candidates
WHEN (SELECT status FROM rounds WHERE id = OLD.round_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
CREATE TRIGGER round_candidates_locked_delete BEFORE DELETE ON round_candidates
WHEN (SELECT status FROM rounds WHERE id = OLD.round_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'locked: the round is signed off');
END;
