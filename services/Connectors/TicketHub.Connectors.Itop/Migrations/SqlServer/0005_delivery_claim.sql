-- Which replica is delivering a ticket now (issue 13): claimed_by holds the ticket until claimed_until,
-- so that a second replica that receives the same ticket waits instead of creating it twice; a claim
-- whose replica died expires. Only on a server database (SQLite: one process). See DeliveryLedger.
ALTER TABLE external_tickets ADD claimed_by NVARCHAR(200) NULL, claimed_until DATETIMEOFFSET NULL;
