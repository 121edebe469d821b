// Package storetest is the conformance suite every store.Store driver runs.
//
// A driver's test calls Exercise with a function that opens a fresh, empty
// store; every case runs in parallel on its own store. A behaviour the domain
// relies on is specified here, once, never in a driver-only test.
//
// # Semantics pinned down beyond the store package's doc comments
//
//   - Attributes and Tags load as non-nil maps; a nil map is stored as empty.
//     Map keys and values must be valid UTF-8 (they are AWS API strings).
//   - Body, Meta and Data are raw bytes; nil is stored as empty.
//   - Messages, dedups and move tasks whose queue does not exist (written
//     after a DeleteQueue, say) are not returned by LoadQueues.
//   - PutMessage inserts: putting a message whose (QueueID, ID) already
//     exists fails the Apply, and nothing of that Apply is written.
package storetest

import (
	"bytes"
	"cmp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
)

// Features describes what the store under test can do.
type Features struct {
	// Reopen closes old and returns a store over the same database. Nil when
	// the data does not outlive Close (sqlite ":memory:"); the suite then
	// skips its close-and-reopen durability checks.
	Reopen func(t *testing.T, old store.Store) store.Store
}

// Exercise runs the conformance suite. open MUST return a new, empty store;
// the suite closes it.
func Exercise(t *testing.T, open func(t *testing.T) store.Store, features Features) {
	t.Helper()
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, setup(t, open, features))
		})
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, b *bundle)
}

// bundle is what one case works with.
type bundle struct {
	s        store.Store
	features Features
}

func setup(t *testing.T, open func(t *testing.T) store.Store, features Features) *bundle {
	t.Helper()
	b := &bundle{s: open(t), features: features}
	t.Cleanup(func() { _ = b.s.Close() }) // b.s is the latest store, after any reopen
	return b
}

// apply applies changes and requires success.
func (b *bundle) apply(t *testing.T, changes ...store.Change) {
	t.Helper()
	require.NoError(t, b.s.Apply(t.Context(), changes...))
}

// load returns the normalized stored state. With Reopen it then closes and
// reopens the store and requires the same state again: everything Apply
// acknowledged must survive.
func (b *bundle) load(t *testing.T) store.QueueState {
	t.Helper()
	st, err := b.s.LoadQueues(t.Context())
	require.NoError(t, err)
	st = normalize(st)
	if b.features.Reopen != nil {
		b.s = b.features.Reopen(t, b.s)
		again, err := b.s.LoadQueues(t.Context())
		require.NoError(t, err)
		require.Equal(t, st, normalize(again), "state after close and reopen")
	}
	return st
}

// normalize makes states comparable: Queues, Dedups and MoveTasks sorted by
// key (their order is unspecified; Messages keep theirs, which is), nil and
// empty slices and maps made equal.
func normalize(st store.QueueState) store.QueueState {
	out := store.QueueState{
		Queues:    slices.Clone(st.Queues),
		Messages:  slices.Clone(st.Messages),
		Dedups:    slices.Clone(st.Dedups),
		MoveTasks: slices.Clone(st.MoveTasks),
	}
	for i := range out.Queues {
		q := &out.Queues[i]
		q.Attributes = nonNil(q.Attributes)
		q.Tags = nonNil(q.Tags)
	}
	for i := range out.Messages {
		m := &out.Messages[i]
		m.Body = nonNilBytes(m.Body)
		m.Meta = nonNilBytes(m.Meta)
	}
	for i := range out.MoveTasks {
		out.MoveTasks[i].Data = nonNilBytes(out.MoveTasks[i].Data)
	}
	slices.SortFunc(out.Queues, func(a, b store.Queue) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Dedups, func(a, b store.Dedup) int {
		return cmp.Or(cmp.Compare(a.QueueID, b.QueueID), cmp.Compare(a.Key, b.Key))
	})
	slices.SortFunc(out.MoveTasks, func(a, b store.MoveTask) int { return cmp.Compare(a.Handle, b.Handle) })
	if len(out.Queues) == 0 {
		out.Queues = nil
	}
	if len(out.Messages) == 0 {
		out.Messages = nil
	}
	if len(out.Dedups) == 0 {
		out.Dedups = nil
	}
	if len(out.MoveTasks) == 0 {
		out.MoveTasks = nil
	}
	return out
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// state builds an expected state the way load returns it.
func state(queues []store.Queue, msgs []store.Message, dedups []store.Dedup, tasks []store.MoveTask) store.QueueState {
	return normalize(store.QueueState{Queues: queues, Messages: msgs, Dedups: dedups, MoveTasks: tasks})
}

// newQueue returns a queue with every field set.
func newQueue(id string) store.Queue {
	return store.Queue{
		ID:         id,
		Account:    "000000000000",
		Region:     "us-east-1",
		Name:       "name-" + id,
		Attributes: map[string]string{"VisibilityTimeout": "30", "DelaySeconds": "0"},
		Tags:       map[string]string{"team": "fog"},
		CreatedAt:  1_700_000_000_000,
		ModifiedAt: 1_700_000_000_500,
		PurgedAt:   0,
		NextSeq:    1,
	}
}

// newMessage returns a message with every field set.
func newMessage(queueID, id string, seq int64) store.Message {
	return store.Message{
		QueueID: queueID,
		ID:      id,
		Seq:     seq,
		Body:    []byte("body of " + id),
		Meta:    []byte{0x01, 0x00, byte(seq)},
		State:   store.MessageState{VisibleAt: 1_700_000_000_000 + seq},
	}
}

// withState returns m with its delivery state replaced.
func withState(m store.Message, st store.MessageState) store.Message {
	m.State = st
	return m
}

// bodyOf returns m with another body.
func bodyOf(m store.Message, body []byte) store.Message {
	m.Body = bytes.Clone(body)
	return m
}
