-- The events kept for the people who chose one mail a day (issue 15): one line each, sent together
-- at Notifications:DigestAt, then removed in the unit of work that writes the digest's mail.
CREATE TABLE notification_digest (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_notification_digest PRIMARY KEY,
    email     VARCHAR(254) NOT NULL,
    name      VARCHAR(254) NOT NULL,
    ticket_id UUID NOT NULL,
    reference VARCHAR(254) NOT NULL,
    title     VARCHAR(254) NOT NULL,
    line      TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_notification_digest_email ON notification_digest (email, seq);
