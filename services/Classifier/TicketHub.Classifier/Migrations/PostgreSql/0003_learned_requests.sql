-- The hub's own routed requests whose zone is known, kept as examples for the zone and category
-- suggestion (issue 16, part 3): the zone the requester gave, or the one a dispatcher's re-route
-- implies (a correction: it replaces the requester's). Read, most recent first, when the suggester
-- is trained again in the background.
CREATE TABLE learned_requests (
    ticket_id   UUID NOT NULL CONSTRAINT pk_learned_requests PRIMARY KEY,
    title       VARCHAR(200) NOT NULL,
    description TEXT NOT NULL,
    category    VARCHAR(50) NOT NULL,
    zone        VARCHAR(2) NOT NULL,
    source      VARCHAR(20) NOT NULL,
    learned_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_learned_requests_learned_at ON learned_requests (learned_at);
