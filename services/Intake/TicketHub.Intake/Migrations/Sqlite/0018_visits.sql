-- The infogérant's visits to the collèges (issue 14): recorded from the visit sheet, one row a visit
-- (its day, the technician, who recorded it), counted by the indicators per collège and UT. The id is
-- chosen by the sheet, so that a form sent twice records one visit. visited_on is the day as
-- yyyy-MM-dd (the technician's day in Paris, compared as text). What the technician did on site for a
-- ticket is a comment of that ticket (ticket_messages, author_role 'on-site-visit'), sent to the
-- ticket's tool; visit_notes ties each to its visit.
CREATE TABLE visits (
    id           TEXT NOT NULL PRIMARY KEY,
    college_uai  TEXT NOT NULL,
    college_ut   TEXT NULL,
    visited_on   TEXT NOT NULL,
    technician   TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    request_hash TEXT NOT NULL
);
CREATE INDEX ix_visits_college ON visits (college_uai, visited_on);
CREATE INDEX ix_visits_day ON visits (visited_on);

CREATE TABLE visit_notes (
    visit_id   TEXT NOT NULL REFERENCES visits (id),
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    comment_id TEXT NOT NULL,
    PRIMARY KEY (visit_id, ticket_id)
);
CREATE UNIQUE INDEX ux_visit_notes_comment ON visit_notes (comment_id);
