-- A unit's roster is read through `members_path (unit_path, name_key)`: every member row
-- carries its unit's path, so `members_unit (unit_id, name_key)` indexed the same rows in the
-- same order a second time. Each member written had to find a place in both; a large import
-- spread over the country dirtied nearly every leaf page of each.
DROP INDEX members_unit;
