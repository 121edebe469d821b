package storetest

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
)

func cases() []testCase {
	return []testCase{
		{"Empty", testEmpty},
		{"RoundTrip", testRoundTrip},
		{"OrderWithinApply", testOrderWithinApply},
		{"OrderAcrossApplies", testOrderAcrossApplies},
		{"SubmitKeepsOrder", testSubmitOrder},
		{"MessagesOrderedByQueueThenSeq", testMessageOrder},
		{"UpsertQueue", testUpsertQueue},
		{"UpsertDedupAndMoveTask", testUpsertDedupAndMoveTask},
		{"MissingRowsAreNotErrors", testMissingRows},
		{"DeleteQueueCascades", testDeleteQueueCascades},
		{"PurgeMessages", testPurgeMessages},
		{"OrphansNotLoaded", testOrphans},
		{"MapsLoadNonNil", testMapsNonNil},
		{"BinaryRoundTrip", testBinary},
		{"LargeBody", testLargeBody},
		{"LargeApply", testLargeApply},
		{"FailedApplyIsAtomic", testFailedApplyAtomic},
		{"ConcurrentApply", testConcurrentApply},
		{"Records", testRecords},
		{"Close", testClose},
	}
}

func testEmpty(t *testing.T, b *bundle) {
	require.Equal(t, store.QueueState{}, b.load(t))
}

// testRoundTrip writes every Change type and reads the result back.
func testRoundTrip(t *testing.T, b *bundle) {
	q1, q2, q3 := newQueue("q1"), newQueue("q2"), newQueue("q3")
	q2.Attributes = map[string]string{"FifoQueue": "true", "Policy": `{"Version":"2012-10-17","Statement":[]}`}
	q2.Tags = map[string]string{}
	q2.PurgedAt = 1_700_000_001_000
	q2.NextSeq = math.MaxInt64
	m1, m2, m3, m4 := newMessage("q1", "m1", 1), newMessage("q1", "m2", 2), newMessage("q1", "m3", 3), newMessage("q2", "m4", 1)
	d1 := store.Dedup{QueueID: "q2", Key: "group\x1fdedup-1", MessageID: "m4", ExpiresAt: 1_700_000_300_000}
	d2 := store.Dedup{QueueID: "q2", Key: "dedup-2", MessageID: "m5", ExpiresAt: 1_700_000_300_001}
	t1 := store.MoveTask{Handle: "h1", QueueID: "q1", Data: []byte(`{"dest":"q2"}`)}
	t2 := store.MoveTask{Handle: "h2", QueueID: "q1", Data: []byte{0, 1, 2}}
	b.apply(t,
		store.PutQueue{Queue: q1}, store.PutQueue{Queue: q2}, store.PutQueue{Queue: q3},
		store.PutMessage{Message: m1}, store.PutMessage{Message: m2}, store.PutMessage{Message: m3},
		store.PutMessage{Message: m4},
		store.PutDedup{Dedup: d1}, store.PutDedup{Dedup: d2},
		store.PutMoveTask{Task: t1}, store.PutMoveTask{Task: t2},
	)
	st2 := store.MessageState{VisibleAt: math.MaxInt64, ReceiveCount: 3, FirstReceiveAt: math.MinInt64, Receipt: "rcpt-2"}
	b.apply(t,
		store.UpdateMessage{QueueID: "q1", ID: "m2", State: st2},
		store.DeleteMessage{QueueID: "q1", ID: "m3"},
		store.DeleteDedup{QueueID: "q2", Key: "dedup-2"},
		store.DeleteMoveTask{Handle: "h2"},
		store.DeleteQueue{QueueID: "q3"},
	)
	want := state(
		[]store.Queue{q1, q2},
		[]store.Message{m1, withState(m2, st2), m4},
		[]store.Dedup{d1},
		[]store.MoveTask{t1},
	)
	require.Equal(t, want, b.load(t))

	b.apply(t, store.PurgeMessages{QueueID: "q1"})
	want.Messages = []store.Message{m4}
	require.Equal(t, want, b.load(t))
}

// orderedChanges mutates every table several times; applied in order they
// leave orderedWant.
func orderedChanges() []store.Change {
	q, gone := newQueue("q"), newQueue("gone")
	qv2 := q
	qv2.Attributes = map[string]string{"DelaySeconds": "5"}
	m := newMessage("q", "m", 1)
	return []store.Change{
		store.PutQueue{Queue: q},
		store.PutQueue{Queue: qv2},
		store.PutMessage{Message: m},
		store.UpdateMessage{QueueID: "q", ID: "m", State: store.MessageState{ReceiveCount: 1, Receipt: "a"}},
		store.UpdateMessage{QueueID: "q", ID: "m", State: store.MessageState{ReceiveCount: 2, Receipt: "b"}},
		store.DeleteMessage{QueueID: "q", ID: "m"},
		store.PutMessage{Message: bodyOf(m, []byte("second life"))},
		store.PutDedup{Dedup: store.Dedup{QueueID: "q", Key: "k", MessageID: "x"}},
		store.DeleteDedup{QueueID: "q", Key: "k"},
		store.PutDedup{Dedup: store.Dedup{QueueID: "q", Key: "k", MessageID: "m"}},
		store.PutMoveTask{Task: store.MoveTask{Handle: "h", QueueID: "q", Data: []byte("1")}},
		store.DeleteMoveTask{Handle: "h"},
		store.PutMoveTask{Task: store.MoveTask{Handle: "h", QueueID: "q", Data: []byte("2")}},
		store.PutQueue{Queue: gone},
		store.PutMessage{Message: newMessage("gone", "old", 1)},
		store.DeleteQueue{QueueID: "gone"},
		store.PutQueue{Queue: gone},
		store.PutMessage{Message: newMessage("gone", "new", 2)},
		store.PurgeMessages{QueueID: "q"},
		store.PutMessage{Message: newMessage("q", "after-purge", 9)},
	}
}

func orderedWant() store.QueueState {
	q, gone := newQueue("q"), newQueue("gone")
	q.Attributes = map[string]string{"DelaySeconds": "5"}
	return state(
		[]store.Queue{q, gone},
		[]store.Message{newMessage("gone", "new", 2), newMessage("q", "after-purge", 9)},
		[]store.Dedup{{QueueID: "q", Key: "k", MessageID: "m"}},
		[]store.MoveTask{{Handle: "h", QueueID: "q", Data: []byte("2")}},
	)
}

func testOrderWithinApply(t *testing.T, b *bundle) {
	b.apply(t, orderedChanges()...)
	require.Equal(t, orderedWant(), b.load(t))
}

func testOrderAcrossApplies(t *testing.T, b *bundle) {
	for _, c := range orderedChanges() {
		b.apply(t, c)
	}
	require.Equal(t, orderedWant(), b.load(t))
}

// testSubmitOrder: Submit returns before the commit, and changes submitted
// one after the other are committed in that order; each channel receives
// exactly one nil.
func testSubmitOrder(t *testing.T, b *bundle) {
	var results []<-chan error
	for _, c := range orderedChanges() {
		results = append(results, b.s.Submit(c))
	}
	results = append(results, b.s.Submit()) // nothing to write
	for _, r := range results {
		require.NoError(t, <-r)
		select {
		case err, ok := <-r:
			require.False(t, ok, "second value on a Submit channel: %v", err)
		default:
		}
	}
	require.Equal(t, orderedWant(), b.load(t))
}

// testMessageOrder: messages load ordered by queue id (bytewise, as Go
// compares strings) and then by seq, whatever the insertion order.
func testMessageOrder(t *testing.T, b *bundle) {
	ids := []string{"b", "a", "B", "ä", "a-1", "A"}
	var changes []store.Change
	for _, id := range ids {
		changes = append(changes, store.PutQueue{Queue: newQueue(id)})
	}
	msg := func(id string, seq int64) store.Message {
		return newMessage(id, id+"-"+strconv.FormatInt(seq, 10), seq)
	}
	for _, seq := range []int64{30, 1, 20, 100, 2} {
		for _, id := range ids {
			changes = append(changes, store.PutMessage{Message: msg(id, seq)})
		}
	}
	b.apply(t, changes...)
	var want []store.Message
	for _, id := range []string{"A", "B", "a", "a-1", "b", "ä"} {
		for _, seq := range []int64{1, 2, 20, 30, 100} {
			want = append(want, msg(id, seq))
		}
	}
	require.Equal(t, want, b.load(t).Messages)
}

// testUpsertQueue: PutQueue replaces every column and leaves messages alone.
func testUpsertQueue(t *testing.T, b *bundle) {
	q := newQueue("q")
	q.Attributes = map[string]string{"A": "1", "B": "2"}
	m := newMessage("q", "m", 1)
	b.apply(t, store.PutQueue{Queue: q}, store.PutMessage{Message: m})
	q2 := store.Queue{
		ID: "q", Account: "111111111111", Region: "eu-west-1", Name: "renamed",
		Attributes: map[string]string{"B": "3"}, Tags: nil,
		CreatedAt: 1, ModifiedAt: 2, PurgedAt: 3, NextSeq: 4,
	}
	b.apply(t, store.PutQueue{Queue: q2})
	require.Equal(t, state([]store.Queue{q2}, []store.Message{m}, nil, nil), b.load(t))
}

func testUpsertDedupAndMoveTask(t *testing.T, b *bundle) {
	d := store.Dedup{QueueID: "q", Key: "k", MessageID: "m1", ExpiresAt: 10}
	mt := store.MoveTask{Handle: "h", QueueID: "q", Data: []byte("v1")}
	b.apply(t, store.PutQueue{Queue: newQueue("q")}, store.PutDedup{Dedup: d}, store.PutMoveTask{Task: mt})
	d.MessageID, d.ExpiresAt = "m2", 20
	mt.Data = []byte("v2")
	b.apply(t, store.PutDedup{Dedup: d}, store.PutMoveTask{Task: mt})
	require.Equal(t, state([]store.Queue{newQueue("q")}, nil, []store.Dedup{d}, []store.MoveTask{mt}), b.load(t))
}

// testMissingRows: updating or deleting rows that do not exist succeeds
// and creates nothing.
func testMissingRows(t *testing.T, b *bundle) {
	q := newQueue("q")
	b.apply(t, store.PutQueue{Queue: q})
	b.apply(t,
		store.UpdateMessage{QueueID: "q", ID: "nope", State: store.MessageState{ReceiveCount: 1}},
		store.UpdateMessage{QueueID: "nope", ID: "nope"},
		store.DeleteMessage{QueueID: "q", ID: "nope"},
		store.DeleteDedup{QueueID: "q", Key: "nope"},
		store.DeleteMoveTask{Handle: "nope"},
		store.PurgeMessages{QueueID: "nope"},
		store.DeleteQueue{QueueID: "nope"},
	)
	require.Equal(t, state([]store.Queue{q}, nil, nil, nil), b.load(t))
}

// twoQueues writes two queues with a message, a dedup and a move task each.
func twoQueues(t *testing.T, b *bundle) (keep store.QueueState) {
	t.Helper()
	for _, id := range []string{"q1", "q2"} {
		b.apply(t,
			store.PutQueue{Queue: newQueue(id)},
			store.PutMessage{Message: newMessage(id, "m", 1)},
			store.PutMessage{Message: newMessage(id, "n", 2)},
			store.PutDedup{Dedup: store.Dedup{QueueID: id, Key: "k", MessageID: "m"}},
			store.PutMoveTask{Task: store.MoveTask{Handle: "h-" + id, QueueID: id, Data: []byte(id)}},
		)
	}
	return state(
		[]store.Queue{newQueue("q2")},
		[]store.Message{newMessage("q2", "m", 1), newMessage("q2", "n", 2)},
		[]store.Dedup{{QueueID: "q2", Key: "k", MessageID: "m"}},
		[]store.MoveTask{{Handle: "h-q2", QueueID: "q2", Data: []byte("q2")}},
	)
}

func testDeleteQueueCascades(t *testing.T, b *bundle) {
	want := twoQueues(t, b)
	b.apply(t, store.DeleteQueue{QueueID: "q1"})
	require.Equal(t, want, b.load(t))
	// Nothing of the old queue comes back when its id is used again.
	b.apply(t, store.PutQueue{Queue: newQueue("q1")})
	want.Queues = append([]store.Queue{newQueue("q1")}, want.Queues...)
	require.Equal(t, want, b.load(t))
}

func testPurgeMessages(t *testing.T, b *bundle) {
	want := twoQueues(t, b)
	b.apply(t, store.PurgeMessages{QueueID: "q1"})
	want.Queues = append([]store.Queue{newQueue("q1")}, want.Queues...)
	want.Dedups = append([]store.Dedup{{QueueID: "q1", Key: "k", MessageID: "m"}}, want.Dedups...)
	want.MoveTasks = append([]store.MoveTask{{Handle: "h-q1", QueueID: "q1", Data: []byte("q1")}}, want.MoveTasks...)
	require.Equal(t, want, b.load(t))
}

// testOrphans: rows written for a queue that does not exist (a send racing a
// delete) are accepted but never loaded.
func testOrphans(t *testing.T, b *bundle) {
	b.apply(t,
		store.PutQueue{Queue: newQueue("q")},
		store.DeleteQueue{QueueID: "q"},
		store.PutMessage{Message: newMessage("q", "m", 1)},
		store.PutDedup{Dedup: store.Dedup{QueueID: "q", Key: "k"}},
		store.PutMoveTask{Task: store.MoveTask{Handle: "h", QueueID: "q"}},
	)
	require.Equal(t, store.QueueState{}, b.load(t))
}

func testMapsNonNil(t *testing.T, b *bundle) {
	nilMaps, emptyMaps := newQueue("nil"), newQueue("empty")
	nilMaps.Attributes, nilMaps.Tags = nil, nil
	emptyMaps.Attributes, emptyMaps.Tags = map[string]string{}, map[string]string{}
	b.apply(t, store.PutQueue{Queue: nilMaps}, store.PutQueue{Queue: emptyMaps})
	st, err := b.s.LoadQueues(t.Context())
	require.NoError(t, err)
	require.Len(t, st.Queues, 2)
	for _, q := range st.Queues {
		require.NotNil(t, q.Attributes, q.ID)
		require.NotNil(t, q.Tags, q.ID)
		require.Empty(t, q.Attributes, q.ID)
		require.Empty(t, q.Tags, q.ID)
	}
}
