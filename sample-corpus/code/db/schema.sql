-- Expenses of group trips (the tripsplit web version).
CREATE TABLE trip (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    currency    TEXT NOT NULL DEFAULT 'EUR',
    started_on  DATE NOT NULL
);

CREATE TABLE person (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE expense (
    id          INTEGER PRIMARY KEY,
    trip_id     INTEGER NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
    payer_id    INTEGER NOT NULL REFERENCES person(id),
    amount      NUMERIC NOT NULL CHECK (amount > 0),
    currency    TEXT NOT NULL,
    description TEXT,
    paid_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Who shares each expense.
CREATE TABLE expense_share (
    expense_id INTEGER NOT NULL REFERENCES expense(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES person(id),
    PRIMARY KEY (expense_id, person_id)
);

-- Balance per person for one trip: what they paid minus their shares.
CREATE VIEW balance AS
SELECT e.trip_id, p.id AS person_id, p.name,
       COALESCE(SUM(CASE WHEN e.payer_id = p.id THEN e.amount END), 0)
     - COALESCE(SUM(e.amount / (SELECT COUNT(*) FROM expense_share s2 WHERE s2.expense_id = e.id)), 0) AS balance
FROM person p
JOIN expense_share s ON s.person_id = p.id
JOIN expense e ON e.id = s.expense_id
GROUP BY e.trip_id, p.id;
