-- The roll of the new committee's first plenum: one status per member just elected (a winner of
-- the committee election), recorded by the congress's staff. The base D of every election at
-- the plenum is derived from it, as the congress roll gives D for the congress's elections.
-- A member with no row is present.
CREATE TABLE plenum_roll (
    election_id BIGINT NOT NULL REFERENCES elections(id),
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    status TEXT NOT NULL,
    note TEXT,
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (election_id, candidate_id)
);
