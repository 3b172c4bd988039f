-- revision: 89d4b8295536
-- down_revision: 7ac759974ad8
-- message: create latest metrics table
-- create_date: 2019-08-20 11:53:28.178479
-- hand-written: the Python revision reads the latest metric of each run and key in Python and inserts it; this is the same query in SQL.

-- migrate:up
CREATE TABLE latest_metrics (
	"key" VARCHAR(250) NOT NULL, 
	value FLOAT NOT NULL, 
	timestamp BIGINT, 
	step BIGINT NOT NULL, 
	is_nan BOOLEAN NOT NULL, 
	run_uuid VARCHAR(32) NOT NULL, 
	CONSTRAINT latest_metric_pk PRIMARY KEY ("key", run_uuid), 
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
);

INSERT INTO latest_metrics ("key", value, timestamp, step, is_nan, run_uuid)
SELECT m."key", max(m.value), m.timestamp, m.step, m.is_nan, m.run_uuid
FROM metrics AS m
JOIN (
    SELECT m2.run_uuid, m2."key", m2.step, max(m2.timestamp) AS timestamp
    FROM metrics AS m2
    JOIN (SELECT run_uuid, "key", max(step) AS step FROM metrics GROUP BY "key", run_uuid) AS s
      ON m2.step = s.step AND m2.run_uuid = s.run_uuid AND m2."key" = s."key"
    GROUP BY m2."key", m2.run_uuid, m2.step
) AS t ON m.timestamp = t.timestamp AND m.run_uuid = t.run_uuid AND m."key" = t."key" AND m.step = t.step
GROUP BY m.run_uuid, m."key", m.step, m.timestamp, m.is_nan;

-- migrate:down
DROP TABLE latest_metrics;
