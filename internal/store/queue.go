package store

// Queue is a stored SQS queue. Times are Unix milliseconds.
type Queue struct {
	ID         string // unique for the queue's lifetime; a re-created queue gets a new one
	Account    string
	Region     string
	Name       string
	Attributes map[string]string // settable attributes as AWS spells them
	Tags       map[string]string
	CreatedAt  int64
	ModifiedAt int64
	PurgedAt   int64 // last PurgeQueue, 0 if never
	NextSeq    int64 // next message sequence number to hand out
}

// Message is a stored SQS message: an immutable part written once by
// PutMessage and a mutable delivery state updated by UpdateMessage.
type Message struct {
	QueueID string
	ID      string
	Seq     int64  // per-queue, increasing in send order; FIFO sequence number
	Body    []byte // raw message body
	// Meta is the immutable metadata (attributes, group and dedup ids, sender,
	// timestamps) encoded by the queue package; the store treats it as opaque.
	Meta  []byte
	State MessageState
}

// MessageState is the mutable delivery state of a message.
type MessageState struct {
	VisibleAt      int64 // the message is hidden until this time
	ReceiveCount   int64
	FirstReceiveAt int64
	Receipt        string // token of the latest receive, empty if never received
}

// Dedup is a FIFO deduplication entry.
type Dedup struct {
	QueueID   string
	Key       string // deduplication id, prefixed by the group id when scoped per group
	MessageID string
	ExpiresAt int64
}

// MoveTask is a stored message move task; Data is opaque to the store.
type MoveTask struct {
	Handle  string
	QueueID string // the source queue
	Data    []byte
}

// QueueState is everything LoadQueues returns.
type QueueState struct {
	Queues    []Queue
	Messages  []Message // ordered by QueueID, then Seq
	Dedups    []Dedup
	MoveTasks []MoveTask
}
