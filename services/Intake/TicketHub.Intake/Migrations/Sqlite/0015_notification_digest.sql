-- The events kept for the people who chose one mail a day (issue 15): one line each, sent together
-- at Notifications:DigestAt, then removed in the unit of work that writes the digest's mail.
CREATE TABLE notification_digest (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    email     TEXT NOT NULL,
    name      TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    title     TEXT NOT NULL,
    line      TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX ix_notification_digest_email ON notification_digest (email, seq);
