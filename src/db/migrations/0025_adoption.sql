-- Adoption figures for administrators: aggregates only.
--
-- Who was active on a day, on which portal, as a member of which
-- organization: one row per person, portal and day (the instance's
-- calendar day, 'YYYY-MM-DD'), so that people are counted once per day and
-- per week. Kept a few months, then dropped; a person's rows go with their
-- erasure. Pages only ever show counts of these rows.
CREATE TABLE adoption_presence (
    day TEXT NOT NULL,
    portal_id INTEGER NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (day, portal_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX adoption_presence_person ON adoption_presence(person_id);
CREATE INDEX adoption_presence_org ON adoption_presence(org_id, day);

-- Who opened something of a space on a day (its pages, its files): the
-- spaces people use, counted as people.
CREATE TABLE adoption_space_presence (
    day TEXT NOT NULL,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (day, space_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX adoption_space_presence_person ON adoption_space_presence(person_id);
CREATE INDEX adoption_space_presence_space ON adoption_space_presence(space_id);

-- Counters that name nobody: searches, searches that found nothing,
-- uploads and downloads (with their bytes), per day, organization of the
-- person acting, and space (0: none, a search).
CREATE TABLE adoption_counts (
    day TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('search', 'search_miss', 'upload', 'download')),
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, metric, org_id, space_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX adoption_counts_org ON adoption_counts(org_id);

-- What was searched for and not found, folded (case, spaces), per day and
-- portal: the content people miss. Kept as long as presence.
CREATE TABLE adoption_misses (
    day TEXT NOT NULL,
    portal_id INTEGER NOT NULL REFERENCES portals(id) ON DELETE CASCADE,
    query TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, portal_id, query)
) STRICT, WITHOUT ROWID;

-- How the last writes of the figures went, for `parvis check`.
CREATE TABLE adoption_flushes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_ok_at INTEGER,
    last_error TEXT,
    last_error_at INTEGER
) STRICT;
