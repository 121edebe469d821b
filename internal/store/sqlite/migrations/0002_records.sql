-- Documents of every domain that keeps its state in memory and persists it
-- whole: topics, subscriptions, buses, rules, outbox entries, ...
CREATE TABLE records (
	kind TEXT NOT NULL,
	"key" TEXT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (kind, "key")
) WITHOUT ROWID;
