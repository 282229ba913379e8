-- Every reply to a notification the hub read from its mailbox (issue 15), by Message-ID: a mail read
-- twice (two replicas, a restart between reading and filing it) is taken once. outcome: added (a
-- comment on the ticket), refused (answered with why, nothing stored) or ignored (an automatic mail).
CREATE TABLE inbound_mails (
    message_id  TEXT NOT NULL PRIMARY KEY,
    ticket_id   TEXT NULL,
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL
);
