-- What each person (by e-mail address, in lower case) chose to be told of their tickets (issue 15):
-- immediate (the default, without a row), needs-answer or none; and the last address the mail server
-- refused for good (a bounce), after which no mail is sent to it until the person chooses again.
CREATE TABLE notification_preferences (
    email         TEXT NOT NULL PRIMARY KEY,
    mode          TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    bounced_at    TEXT NULL,
    bounce_reason TEXT NULL
);
