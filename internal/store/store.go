package store

import (
	"context"
	"errors"
)

// ErrClosed is returned by Apply after Close.
var ErrClosed = errors.New("store: closed")

// Store is the durable state of a fogbank node.
type Store interface {
	// Apply MUST write every change atomically and durably before it returns
	// nil, in the order given. Concurrent calls MAY share a transaction; their
	// relative order is the order in which they were submitted.
	Apply(ctx context.Context, changes ...Change) error
	// Submit MUST queue changes behind every change submitted before it and
	// return at once; the channel MUST receive exactly one value: nil once the
	// changes are durable, or the error that prevented it. It lets a caller
	// fix the order of its writes while holding a lock and wait after
	// releasing it.
	Submit(changes ...Change) <-chan error
	// LoadQueues MUST return every queue with its messages, deduplication
	// entries and move tasks, as last written.
	LoadQueues(ctx context.Context) (QueueState, error)
	// LoadRecords MUST return every record of the kind, ordered by key.
	LoadRecords(ctx context.Context, kind string) ([]Record, error)
	// Close flushes pending work and releases the database. It MUST be safe
	// to call more than once.
	Close() error
}

// Change is one mutation of stored state. The concrete types are listed in
// changes.go; drivers switch on them.
type Change interface{ change() }
