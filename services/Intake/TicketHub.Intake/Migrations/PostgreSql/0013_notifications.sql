-- What each person (by e-mail address, in lower case) chose to be told of their tickets (issue 15):
-- immediate (the default, without a row), needs-answer or none; and the last address the mail server
-- refused for good (a bounce), after which no mail is sent to it until the person chooses again.
CREATE TABLE notification_preferences (
    email         VARCHAR(254) NOT NULL CONSTRAINT pk_notification_preferences PRIMARY KEY,
    mode          VARCHAR(20) NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    bounced_at    TIMESTAMPTZ NULL,
    bounce_reason VARCHAR(500) NULL
);
