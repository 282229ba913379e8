-- Dead letters the services reported (MessageDeadLettered): the list administrators act on. The
-- messages themselves stay in the owning service's own dead_letters table (ServiceDefaults), which
-- intake has too for its own consumers: hence another name here.
CREATE TABLE reported_dead_letters (
    -- The dead letter's id in the owning service's database.
    id              UUID NOT NULL CONSTRAINT pk_reported_dead_letters PRIMARY KEY,
    service         VARCHAR(100)    NOT NULL,
    queue           VARCHAR(300)    NOT NULL,
    message_id      UUID NOT NULL,
    message_type    VARCHAR(300)    NOT NULL,
    -- The ticket the message names, known to intake or not: no foreign key.
    ticket_id       UUID NULL,
    reference       VARCHAR(100)    NULL,
    reason          VARCHAR(2000)   NOT NULL,
    attempts        BIGINT              NOT NULL,
    first_failed_at TIMESTAMPTZ   NOT NULL,
    last_failed_at  TIMESTAMPTZ   NOT NULL,
    reported_at     TIMESTAMPTZ   NOT NULL,
    -- open | replayed | discarded
    state           VARCHAR(20)     NOT NULL,
    -- Who replayed or discarded it, when, and (discarded) why.
    resolved_by     VARCHAR(200)    NULL,
    resolved_at     TIMESTAMPTZ   NULL,
    discard_reason  VARCHAR(500)    NULL
);
CREATE INDEX ix_reported_dead_letters_state ON reported_dead_letters (state, last_failed_at, id);
CREATE INDEX ix_reported_dead_letters_service_state ON reported_dead_letters (service, state, last_failed_at, id);
CREATE INDEX ix_reported_dead_letters_ticket ON reported_dead_letters (ticket_id);

-- Every action an administrator took on a dead letter: replay, replay-all, discard.
CREATE TABLE dead_letter_actions (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_dead_letter_actions PRIMARY KEY,
    dead_letter_id UUID NOT NULL CONSTRAINT fk_dead_letter_actions_dead_letter REFERENCES reported_dead_letters (id),
    action         VARCHAR(20)     NOT NULL,
    acted_by       VARCHAR(200)    NOT NULL,
    acted_at       TIMESTAMPTZ   NOT NULL,
    reason         VARCHAR(500)    NULL
);
CREATE INDEX ix_dead_letter_actions_dead_letter ON dead_letter_actions (dead_letter_id, seq);
