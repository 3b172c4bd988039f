-- revision: 90e64c465722
-- down_revision: 451aebb31d03
-- message: migrate user column to tags
-- create_date: 2019-05-29 10:43:52.919427
-- hand-written: the Python revision reads every run and adds an `mlflow.user` tag where a run has a user and no such tag; this is the same in one statement.

-- migrate:up
INSERT INTO tags (key, value, run_uuid)
SELECT 'mlflow.user', runs.user_id, runs.run_uuid
FROM runs
WHERE runs.user_id IS NOT NULL AND runs.user_id <> ''
  AND NOT EXISTS (SELECT 1 FROM tags WHERE tags.run_uuid = runs.run_uuid AND tags.key = 'mlflow.user');

-- migrate:down
