-- Documents of every domain that keeps its state in memory and persists it
-- whole: topics, subscriptions, buses, rules, outbox entries, ...
CREATE TABLE records (
	kind TEXT COLLATE "C" NOT NULL,
	"key" TEXT COLLATE "C" NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (kind, "key")
);
