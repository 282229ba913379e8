-- The connectors share one ledger (TicketHub.Connectors.Shared's DeliveryLedger), which also keeps
-- the link to the tool's ticket that intake was given. Rows created before stay without one.
ALTER TABLE external_tickets ADD COLUMN external_url VARCHAR(1000) NULL;
