-- Queues and everything that belongs to them. Integer times are Unix
-- milliseconds. Maps are JSON objects in text columns (not jsonb, which
-- rejects \u0000). Identifiers use the "C" collation so that they sort
-- bytewise, as Go compares strings. There are no foreign keys: DeleteQueue
-- deletes the children itself, and LoadQueues skips rows whose queue is gone.

CREATE TABLE queues (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    account     text   NOT NULL,
    region      text   NOT NULL,
    name        text   NOT NULL,
    attributes  text   NOT NULL,
    tags        text   NOT NULL,
    created_at  bigint NOT NULL,
    modified_at bigint NOT NULL,
    purged_at   bigint NOT NULL,
    next_seq    bigint NOT NULL
);

-- No index on seq: LoadQueues sorts once at start-up; every write would pay
-- for it.
CREATE TABLE messages (
    queue_id         text COLLATE "C" NOT NULL,
    id               text COLLATE "C" NOT NULL,
    seq              bigint NOT NULL,
    body             bytea  NOT NULL,
    meta             bytea  NOT NULL,
    visible_at       bigint NOT NULL,
    receive_count    bigint NOT NULL,
    first_receive_at bigint NOT NULL,
    receipt          text   NOT NULL,
    PRIMARY KEY (queue_id, id)
);

CREATE TABLE dedups (
    queue_id   text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    message_id text   NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (queue_id, key)
);

CREATE TABLE move_tasks (
    handle   text COLLATE "C" NOT NULL PRIMARY KEY,
    queue_id text COLLATE "C" NOT NULL,
    data     bytea NOT NULL
);

CREATE INDEX move_tasks_queue_id ON move_tasks (queue_id);
