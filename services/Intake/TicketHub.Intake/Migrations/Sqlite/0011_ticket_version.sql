-- A ticket's version, raised by every change of its status, route or external ticket (issue 13):
-- TicketLifecycle writes a change only on the version it read, so that two concurrent changes of one
-- ticket on a server database cannot let the older decision overwrite the newer.
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
