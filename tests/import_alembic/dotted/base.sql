-- What the application creates itself (metadata.create_all) before it runs its first revision.
CREATE TABLE accounts (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(80) NOT NULL
);
