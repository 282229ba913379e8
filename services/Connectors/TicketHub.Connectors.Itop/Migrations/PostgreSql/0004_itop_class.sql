-- With iTop's ITIL modules, incidents are the class Incident and requests the class UserRequest
-- (ADR 14): the class each ticket was created in, beside its key. Rows from before were UserRequests.
ALTER TABLE external_tickets ADD COLUMN itop_class VARCHAR(50) NOT NULL DEFAULT 'UserRequest';
