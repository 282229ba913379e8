-- The events kept for the people who chose one mail a day (issue 15): one line each, sent together
-- at Notifications:DigestAt, then removed in the unit of work that writes the digest's mail.
CREATE TABLE notification_digest (
    seq       BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_notification_digest PRIMARY KEY,
    email     NVARCHAR(254) NOT NULL,
    name      NVARCHAR(254) NOT NULL,
    ticket_id UNIQUEIDENTIFIER NOT NULL,
    reference NVARCHAR(254) NOT NULL,
    title     NVARCHAR(254) NOT NULL,
    line      NVARCHAR(MAX) NOT NULL,
    at        DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_notification_digest_email ON notification_digest (email, seq);
