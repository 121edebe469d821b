-- Queues and everything that belongs to them. Integer times are Unix
-- milliseconds. Maps are JSON objects. There are no foreign keys: DeleteQueue
-- deletes the children itself, and LoadQueues skips rows whose queue is gone.

CREATE TABLE queues (
    id          TEXT    NOT NULL PRIMARY KEY,
    account     TEXT    NOT NULL,
    region      TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    attributes  TEXT    NOT NULL,
    tags        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    purged_at   INTEGER NOT NULL,
    next_seq    INTEGER NOT NULL
);

-- A rowid table (not WITHOUT ROWID) because bodies go up to 1 MiB. No index
-- on seq: LoadQueues sorts once at start-up; every write would pay for it.
CREATE TABLE messages (
    queue_id         TEXT    NOT NULL,
    id               TEXT    NOT NULL,
    seq              INTEGER NOT NULL,
    body             BLOB    NOT NULL,
    meta             BLOB    NOT NULL,
    visible_at       INTEGER NOT NULL,
    receive_count    INTEGER NOT NULL,
    first_receive_at INTEGER NOT NULL,
    receipt          TEXT    NOT NULL,
    PRIMARY KEY (queue_id, id)
);

CREATE TABLE dedups (
    queue_id   TEXT    NOT NULL,
    "key"      TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, "key")
) WITHOUT ROWID;

CREATE TABLE move_tasks (
    handle   TEXT NOT NULL PRIMARY KEY,
    queue_id TEXT NOT NULL,
    data     BLOB NOT NULL
);

CREATE INDEX move_tasks_queue_id ON move_tasks (queue_id);
