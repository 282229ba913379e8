-- The hub's own routed requests whose zone is known, kept as examples for the zone and category
-- suggestion (issue 16, part 3): the zone the requester gave, or the one a dispatcher's re-route
-- implies (a correction: it replaces the requester's). Read, most recent first, when the suggester
-- is trained again in the background.
CREATE TABLE learned_requests (
    ticket_id   UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_learned_requests PRIMARY KEY,
    title       NVARCHAR(200) NOT NULL,
    description NVARCHAR(MAX) NOT NULL,
    category    NVARCHAR(50) NOT NULL,
    zone        NVARCHAR(2) NOT NULL,
    source      NVARCHAR(20) NOT NULL,
    learned_at  DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_learned_requests_learned_at ON learned_requests (learned_at);
