-- The infogérant's visits to the collèges (issue 14): recorded from the visit sheet, one row a visit
-- (its day, the technician, who recorded it), counted by the indicators per collège and UT. The id is
-- chosen by the sheet, so that a form sent twice records one visit. visited_on is the day as
-- yyyy-MM-dd (the technician's day in Paris, compared as text). What the technician did on site for a
-- ticket is a comment of that ticket (ticket_messages, author_role 'on-site-visit'), sent to the
-- ticket's tool; visit_notes ties each to its visit.
CREATE TABLE visits (
    id           UUID NOT NULL CONSTRAINT pk_visits PRIMARY KEY,
    college_uai  CHAR(8) NOT NULL,
    college_ut   VARCHAR(50) NULL,
    visited_on   VARCHAR(10) NOT NULL,
    technician   VARCHAR(200) NOT NULL,
    recorded_by  VARCHAR(200) NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    request_hash VARCHAR(64) NOT NULL
);
CREATE INDEX ix_visits_college ON visits (college_uai, visited_on);
CREATE INDEX ix_visits_day ON visits (visited_on);

CREATE TABLE visit_notes (
    visit_id   UUID NOT NULL CONSTRAINT fk_visit_notes_visit REFERENCES visits (id),
    ticket_id  UUID NOT NULL CONSTRAINT fk_visit_notes_ticket REFERENCES tickets (id),
    comment_id UUID NOT NULL,
    CONSTRAINT pk_visit_notes PRIMARY KEY (visit_id, ticket_id)
);
CREATE UNIQUE INDEX ux_visit_notes_comment ON visit_notes (comment_id);
