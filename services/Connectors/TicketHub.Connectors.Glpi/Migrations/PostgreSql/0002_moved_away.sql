-- When the hub re-routed the ticket away from GLPI and a follow-up told the GLPI ticket so.
ALTER TABLE external_tickets ADD COLUMN moved_at TIMESTAMPTZ NULL;
