-- With iTop's ITIL modules, incidents are the class Incident and requests the class UserRequest
-- (ADR 14): the class each ticket was created in, beside its key. Rows from before were UserRequests.
ALTER TABLE external_tickets ADD
    itop_class NVARCHAR(50) NOT NULL CONSTRAINT df_external_tickets_itop_class DEFAULT 'UserRequest';
