-- When each step of a ticket's life first happened (issue 14, the indicators): kept by intake's
-- TicketLifecycle in the unit of work of each change, one row per ticket, so that a year of a
-- département is read in one pass. The first automatic route (target and rule) stays as it was
-- decided, for the rate of re-routes per rule. Rows for the tickets received before this table are
-- made from their history below.
CREATE TABLE ticket_milestones (
    ticket_id      TEXT NOT NULL REFERENCES tickets (id),
    received_at    TEXT NOT NULL,
    routed_at      TEXT NULL,
    first_target   TEXT NULL,
    first_rule     TEXT NULL,
    triage_at      TEXT NULL,
    triage_left_at TEXT NULL,
    forwarded_at   TEXT NULL,
    in_progress_at TEXT NULL,
    replied_at     TEXT NULL,
    resolved_at    TEXT NULL,
    closed_at      TEXT NULL,
    failed_at      TEXT NULL,
    reroutes       INTEGER NOT NULL,
    reopened       INTEGER NOT NULL,
    -- Stored in the order of reception (WITHOUT ROWID: the key is the table): a period's tickets
    -- are one sequential read, not a look-up per ticket.
    PRIMARY KEY (received_at, ticket_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX ux_ticket_milestones_ticket ON ticket_milestones (ticket_id);
-- What the indicators read of each ticket, in the index itself: no look-up of the ticket's row.
CREATE INDEX ix_tickets_indicators ON tickets (id, status, route_target, route_tool, college_ut, college_uai, zone, category);

INSERT INTO ticket_milestones (ticket_id, received_at, routed_at, first_target, first_rule, triage_at, triage_left_at, forwarded_at,
    in_progress_at, replied_at, resolved_at, closed_at, failed_at, reroutes, reopened)
SELECT t.id, t.created_at,
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status IN ('routed', 'triage')),
    COALESCE((SELECT r.old_target FROM ticket_reroutes r WHERE r.seq = (SELECT MIN(r2.seq) FROM ticket_reroutes r2 WHERE r2.ticket_id = t.id)), t.route_target),
    COALESCE((SELECT r.old_rule FROM ticket_reroutes r WHERE r.seq = (SELECT MIN(r2.seq) FROM ticket_reroutes r2 WHERE r2.ticket_id = t.id)), t.route_rule),
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status = 'triage'),
    (SELECT MIN(r.at) FROM ticket_reroutes r WHERE r.ticket_id = t.id AND r.old_status = 'triage'),
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status = 'forwarded'),
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status = 'in-progress'),
    (SELECT MIN(m.at) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.direction = 'in'),
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status = 'resolved'),
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status = 'closed'),
    (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.status = 'failed'),
    (SELECT COUNT(*) FROM ticket_reroutes r WHERE r.ticket_id = t.id),
    CASE WHEN EXISTS (SELECT 1 FROM ticket_history h WHERE h.ticket_id = t.id AND h.status IN ('forwarded', 'in-progress', 'waiting')
        AND h.at > (SELECT MIN(h2.at) FROM ticket_history h2 WHERE h2.ticket_id = t.id AND h2.status IN ('resolved', 'closed'))) THEN 1 ELSE 0 END
FROM tickets t;
