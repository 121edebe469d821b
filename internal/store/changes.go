package store

// PutQueue creates or replaces a queue row (messages are untouched).
type PutQueue struct{ Queue Queue }

// DeleteQueue removes a queue and everything that belongs to it.
type DeleteQueue struct{ QueueID string }

// PutMessage inserts a message.
type PutMessage struct{ Message Message }

// UpdateMessage replaces the delivery state of a message. Updating a message
// that does not exist is not an error.
type UpdateMessage struct {
	QueueID string
	ID      string
	State   MessageState
}

// DeleteMessage removes a message. Deleting a missing message is not an error.
type DeleteMessage struct {
	QueueID string
	ID      string
}

// PurgeMessages removes every message of a queue.
type PurgeMessages struct{ QueueID string }

// PutDedup creates or replaces a deduplication entry.
type PutDedup struct{ Dedup Dedup }

// DeleteDedup removes a deduplication entry.
type DeleteDedup struct {
	QueueID string
	Key     string
}

// PutMoveTask creates or replaces a move task.
type PutMoveTask struct{ Task MoveTask }

// DeleteMoveTask removes a move task.
type DeleteMoveTask struct{ Handle string }

func (PutQueue) change()       {}
func (DeleteQueue) change()    {}
func (PutMessage) change()     {}
func (UpdateMessage) change()  {}
func (DeleteMessage) change()  {}
func (PurgeMessages) change()  {}
func (PutDedup) change()       {}
func (DeleteDedup) change()    {}
func (PutMoveTask) change()    {}
func (DeleteMoveTask) change() {}

// PutRecord creates or replaces a document. Records hold control-plane state
// (topics, subscriptions, buses, rules, ...) and outbox entries: anything a
// domain keeps in memory and persists as an opaque document under a key.
type PutRecord struct{ Record Record }

// DeleteRecord removes a document. Deleting a missing one is not an error.
type DeleteRecord struct{ Kind, Key string }

func (PutRecord) change()    {}
func (DeleteRecord) change() {}
