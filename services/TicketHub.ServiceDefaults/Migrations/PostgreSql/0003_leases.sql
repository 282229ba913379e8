-- Work that one replica of a service must do at a time (a tool's sync: issue 13): the process that
-- holds a name until expires_at. It renews it at each turn; another replica takes it once it expired
-- (its holder died) or was released (its holder stopped). See Data/DatabaseLeases.cs.
CREATE TABLE leases (
    name       VARCHAR(200) NOT NULL CONSTRAINT pk_leases PRIMARY KEY,
    holder     VARCHAR(200) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
