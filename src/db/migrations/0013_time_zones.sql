-- Parvis schema 13: the time zone a person reads times in (an IANA name);
-- NULL: the instance's (server.time_zone).

ALTER TABLE people ADD COLUMN time_zone TEXT;
