-- Why a ticket failed, in two texts (issue 12): failure_reason in plain French for the collège, and
-- failure_detail, the tool's or the service's own words (codes, exception text), for the operators.
ALTER TABLE tickets ADD COLUMN failure_detail VARCHAR(2000) NULL;
