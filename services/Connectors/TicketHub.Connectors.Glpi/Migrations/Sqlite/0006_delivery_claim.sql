-- Which replica is delivering a ticket now (issue 13): claimed_by holds the ticket until claimed_until,
-- so that a second replica that receives the same ticket waits instead of creating it twice; a claim
-- whose replica died expires. Only on a server database (SQLite: one process). See DeliveryLedger.
ALTER TABLE external_tickets ADD COLUMN claimed_by TEXT NULL;
ALTER TABLE external_tickets ADD COLUMN claimed_until TEXT NULL;
