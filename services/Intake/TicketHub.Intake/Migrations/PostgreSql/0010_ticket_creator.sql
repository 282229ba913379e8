-- Who created each ticket ("person:<sub>" or "key:<sub>"), for the quotas per caller (issue 12).
-- Tickets created before have none and count for no caller.
ALTER TABLE tickets ADD COLUMN created_by VARCHAR(220) NULL;
CREATE INDEX ix_tickets_created_by ON tickets (created_by, created_at);
