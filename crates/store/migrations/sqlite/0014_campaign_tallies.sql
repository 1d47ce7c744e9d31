-- The campaign dashboard's figures kept per unit: for every unit, the plan rows below it
-- (its own row is read with them: most units have none below) counted by level, status,
-- "held after the level's deadline" and "pilot held"
-- (`campaign_tallies`), and the congresses closing per level and day (`campaign_day_tallies`).
-- Every write of plan rows or deadlines applies its differences to the ancestors of the rows
-- it changed; each plan row remembers the path it was counted under and what was counted
-- for it (`counted_under`, `counted_as`: the facts of all three tables), so the
-- next change knows what to take back. The tallies equal a recomputation from the plan rows
-- (a check in the store compares them). The same holds for the problem counts of any day
-- (`campaign_problem_tallies`).
-- Kept in step with ../postgres/0014_campaign_tallies.sql.

ALTER TABLE campaign_plans ADD COLUMN counted_under TEXT;
ALTER TABLE campaign_plans ADD COLUMN counted_as TEXT;

CREATE TABLE campaign_tallies (
    campaign_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    late BIGINT NOT NULL,
    pilot BIGINT NOT NULL,
    units BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, level, status, late, pilot)
);

CREATE TABLE campaign_day_tallies (
    campaign_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    held BIGINT NOT NULL,
    units BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, level, closes_on, held)
);

-- The problem counts of a day, without reading the plan rows: every row of the subtree
-- counted by the facts the day's cut-offs are compared with (empty text when the comparison
-- does not apply to the row): `always` when a check that does not depend on the day finds a
-- possible problem, the level's deadline of a row without dates or congress, the opening day
-- of an open row without an announcement, the closing day of an open row, of a held row, and
-- the day (in Vietnam) a reported row's results were received.
CREATE TABLE campaign_problem_tallies (
    campaign_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    always BIGINT NOT NULL,
    started BIGINT NOT NULL,
    unscheduled_deadline TEXT NOT NULL,
    unannounced_start TEXT NOT NULL,
    open_end TEXT NOT NULL,
    held_end TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    units BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, always, started, unscheduled_deadline, unannounced_start,
        open_end, held_end, reported_on)
);

-- Plans stored before this migration are counted when the store opens the database.
CREATE INDEX campaign_plans_uncounted ON campaign_plans (campaign_id) WHERE counted_under IS NULL;
