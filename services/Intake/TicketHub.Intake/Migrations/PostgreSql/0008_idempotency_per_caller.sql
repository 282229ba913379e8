-- An Idempotency-Key belongs to the caller that sent it (issue 12): two callers may use the same key
-- without learning anything of each other. The caller is "person:<sub>" or "key:<sub>" from the
-- gateway's token. Keys stored before have no caller and are never matched again.
DROP INDEX ux_tickets_idempotency_key;
ALTER TABLE tickets ADD COLUMN idempotency_caller VARCHAR(220) NULL;
CREATE UNIQUE INDEX ux_tickets_idempotency_caller_key ON tickets (idempotency_caller, idempotency_key) WHERE idempotency_key IS NOT NULL;
