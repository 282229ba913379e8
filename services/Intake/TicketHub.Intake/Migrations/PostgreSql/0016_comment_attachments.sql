-- Files sent with a comment (from the ticket's page, or attached to a reply by e-mail: issue 15)
-- are the ticket's files like the ones sent with it; comment_id says which comment brought them.
-- inbound_mails.outcome may now also be "bounced": a delivery report that recorded an address as refused.
ALTER TABLE ticket_attachments ADD COLUMN comment_id UUID NULL;
CREATE INDEX ix_ticket_attachments_created ON ticket_attachments (created_at);
