-- Unit search reads a word's matches in answer order (shallowest first, then by name) straight
-- from an index and stops at the limit: each word row carries its unit's depth and name key,
-- kept by every writer of the unit (create, rename, move, bulk loads).
ALTER TABLE unit_words ADD COLUMN depth BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_words ADD COLUMN name_key BYTEA NOT NULL DEFAULT '';
UPDATE unit_words SET
    depth = (SELECT u.depth FROM units u WHERE u.id = unit_words.unit_id),
    name_key = (SELECT u.name_key FROM units u WHERE u.id = unit_words.unit_id);
CREATE INDEX unit_words_rank ON unit_words (word, depth, name_key, unit_id);
