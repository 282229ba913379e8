-- The people who follow a ticket besides its requester (issue 16): a second person who reported the
-- same fault and joined the ticket instead of opening another, or the requester of a ticket closed as
-- its duplicate. follower is "person:<sub>" for a signed-in person, "email:<address>" otherwise.
CREATE TABLE ticket_followers (
    ticket_id   UUID NOT NULL CONSTRAINT fk_ticket_followers_ticket REFERENCES tickets (id),
    follower    VARCHAR(300)  NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    email       VARCHAR(254)  NULL,
    reason      VARCHAR(20)   NOT NULL,
    followed_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_ticket_followers PRIMARY KEY (ticket_id, follower)
);
CREATE INDEX ix_ticket_followers_follower ON ticket_followers (follower);

-- The ticket a ticket was closed as a duplicate of (« doublon de TH-… »), or null.
ALTER TABLE tickets ADD COLUMN duplicate_of VARCHAR(20) NULL;
