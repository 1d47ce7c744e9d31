-- Room on each page of `units` for the new versions of its rows. A member import rewrites the
-- counts of every cell it adds to and of their ancestors; with free space on the page,
-- PostgreSQL keeps the new version beside the old one without touching the five indexes of the
-- table (a heap-only update). Applies to pages written from now on (a new tree is loaded after
-- the migrations). SQLite rewrites a row in place and has no such setting.
ALTER TABLE units SET (fillfactor = 80);
