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
