-- The hub's own routed requests whose zone is known, kept as examples for the zone and category
-- suggestion (issue 16, part 3): the zone the requester gave, or the one a dispatcher's re-route
-- implies (a correction: it replaces the requester's). Read, most recent first, when the suggester
-- is trained again in the background.
CREATE TABLE learned_requests (
    ticket_id   TEXT NOT NULL PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    category    TEXT NOT NULL,
    zone        TEXT NOT NULL,
    source      TEXT NOT NULL,
    learned_at  TEXT NOT NULL
);
CREATE INDEX ix_learned_requests_learned_at ON learned_requests (learned_at);
