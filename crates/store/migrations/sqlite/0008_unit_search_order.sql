-- Units in the order a search answers them (shallowest first, then by name), so that a search
-- for common words walks this index and stops at its limit.
CREATE INDEX units_depth_name ON units (depth, name_key);
