-- Units in the order a search answers them (shallowest first, then by name), so that a search
-- for common words walks this index and stops at its limit.
CREATE INDEX units_depth_name ON units (depth, name_key);

-- A unit's words in the index itself, so that testing "does this unit have a word starting
-- with …" never reads the table.
DROP INDEX unit_words_unit;
CREATE INDEX unit_words_unit ON unit_words (unit_id, word);
