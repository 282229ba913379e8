-- The connectors share one ledger (TicketHub.Connectors.Shared's DeliveryLedger): the tool's id is
-- external_id, as text, as in TicketForwarded, beside the link intake was given. iTop's key moves
-- there (the connector parses it back where iTop wants a number) and itop_id goes, so that there
-- is one place that says which request is the hub's.
ALTER TABLE external_tickets
    ADD COLUMN external_id  VARCHAR(50)   NULL,
    ADD COLUMN external_url VARCHAR(1000) NULL;
UPDATE external_tickets SET external_id = CAST(itop_id AS VARCHAR(50)) WHERE itop_id IS NOT NULL;
DROP INDEX ix_external_tickets_itop_id;
ALTER TABLE external_tickets DROP COLUMN itop_id;
CREATE INDEX ix_external_tickets_external_id ON external_tickets (external_id);
