-- The campaign dashboard's figures kept per unit: for every unit, the plan rows of its subtree
-- counted by level, status, "held after the level's deadline" and "pilot held"
-- (`campaign_tallies`), and the congresses closing per level and day (`campaign_day_tallies`).
-- Every write of plan rows or deadlines applies its differences to the ancestors of the rows
-- it changed; each plan row remembers the path it was counted under and what was counted
-- for it (`counted_under`, `counted_as`: level|status|late|pilot|closing day|held), so the
-- next change knows what to take back. The tallies equal a recomputation from the plan rows
-- (a check in the store compares them).
-- Kept in step with ../sqlite/0014_campaign_tallies.sql.

ALTER TABLE campaign_plans ADD COLUMN counted_under TEXT COLLATE "C";
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

-- The plans already stored: what each row counts for, then the counts under every ancestor
-- (the unit's parent chain, which its path spells).
UPDATE campaign_plans SET counted_under = unit_path, counted_as = level || '|' || status || '|'
    || CASE WHEN status IN ('held', 'reported', 'approved', 'returned')
        AND COALESCE(held_end, ends_on) > (SELECT l.deadline FROM campaign_levels l
        WHERE l.campaign_id = campaign_plans.campaign_id AND l.level = campaign_plans.level)
        THEN '1' ELSE '0' END || '|'
    || CASE WHEN status IN ('held', 'reported', 'approved', 'returned') AND pilot = 1
        THEN '1' ELSE '0' END || '|'
    || CASE WHEN status <> 'not_planned' AND COALESCE(held_end, ends_on) IS NOT NULL
        THEN COALESCE(held_end, ends_on)
        || CASE WHEN status IN ('held', 'reported', 'approved', 'returned') THEN '|1' ELSE '|0' END
        ELSE '|' END;

WITH RECURSIVE ancestors (unit_id, ancestor_id) AS (
    SELECT id, id FROM units
    UNION ALL
    SELECT a.unit_id, u.parent_id FROM ancestors a JOIN units u ON u.id = a.ancestor_id
    WHERE u.parent_id IS NOT NULL
)
INSERT INTO campaign_tallies (campaign_id, unit_id, level, status, late, pilot, units)
SELECT f.campaign_id, f.ancestor_id, f.level, f.status, f.late, f.pilot, CAST(COUNT(*) AS BIGINT)
FROM (SELECT p.campaign_id, a.ancestor_id, p.level, p.status,
    CASE WHEN p.status IN ('held', 'reported', 'approved', 'returned')
        AND COALESCE(p.held_end, p.ends_on) > (SELECT l.deadline FROM campaign_levels l
        WHERE l.campaign_id = p.campaign_id AND l.level = p.level) THEN 1 ELSE 0 END AS late,
    CASE WHEN p.status IN ('held', 'reported', 'approved', 'returned') AND p.pilot = 1
        THEN 1 ELSE 0 END AS pilot
    FROM campaign_plans p JOIN ancestors a ON a.unit_id = p.unit_id) f
GROUP BY f.campaign_id, f.ancestor_id, f.level, f.status, f.late, f.pilot;

WITH RECURSIVE ancestors (unit_id, ancestor_id) AS (
    SELECT id, id FROM units
    UNION ALL
    SELECT a.unit_id, u.parent_id FROM ancestors a JOIN units u ON u.id = a.ancestor_id
    WHERE u.parent_id IS NOT NULL
)
INSERT INTO campaign_day_tallies (campaign_id, unit_id, level, closes_on, held, units)
SELECT f.campaign_id, f.ancestor_id, f.level, f.closes_on, f.held, CAST(COUNT(*) AS BIGINT)
FROM (SELECT p.campaign_id, a.ancestor_id, p.level, COALESCE(p.held_end, p.ends_on) AS closes_on,
    CASE WHEN p.status IN ('held', 'reported', 'approved', 'returned') THEN 1 ELSE 0 END AS held
    FROM campaign_plans p JOIN ancestors a ON a.unit_id = p.unit_id
    WHERE p.status <> 'not_planned' AND COALESCE(p.held_end, p.ends_on) IS NOT NULL) f
GROUP BY f.campaign_id, f.ancestor_id, f.level, f.closes_on, f.held;
