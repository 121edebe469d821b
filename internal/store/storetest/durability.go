package storetest

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
)

// testBinary: bodies, metadata and move task data are raw bytes; map values
// are arbitrary valid UTF-8 including NUL and JSON-special characters.
func testBinary(t *testing.T, b *bundle) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	q := newQueue("q")
	q.Attributes = map[string]string{
		"Policy":  `{"a":"b\"c","d":["\u00e9"]}`,
		"nul":     "a\x00b",
		"html":    "<tag>&amp;",
		"lines":   "one\ntwo\r\n\tthree",
		"unicode": "日本語 🚀",
		"":        "empty key",
	}
	q.Tags = map[string]string{"k\x00": "\\", "emoji🚀": ""}
	bodies := [][]byte{
		[]byte("nul\x00inside\x00"),
		{0xff, 0xfe, 0xfd},       // never valid UTF-8
		{0xc3, 0x28, 0x80, 0xa0}, // broken sequences
		{0x00},
		all,
		{},
		nil,
	}
	changes := []store.Change{store.PutQueue{Queue: q}}
	var want []store.Message
	for i, body := range bodies {
		m := newMessage("q", "m-ü-"+strconv.Itoa(i), int64(i))
		m.Body = body
		m.Meta = append(append([]byte{}, all...), body...)
		m.State.Receipt = "rcpt+/=" + strconv.Itoa(i)
		changes = append(changes, store.PutMessage{Message: m})
		want = append(want, m)
	}
	task := store.MoveTask{Handle: "h", QueueID: "q", Data: all}
	changes = append(changes, store.PutMoveTask{Task: task})
	b.apply(t, changes...)
	require.Equal(t, state([]store.Queue{q}, want, nil, []store.MoveTask{task}), b.load(t))
}

// testLargeBody: a 1 MiB body and meta of random bytes round-trip.
func testLargeBody(t *testing.T, b *bundle) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		return p
	}
	m := newMessage("q", "big", 1)
	m.Body = random(1 << 20)
	m.Meta = random(256 << 10)
	other := newMessage("q", "other", 2)
	other.Body = random(1<<20 - 1)
	b.apply(t, store.PutQueue{Queue: newQueue("q")}, store.PutMessage{Message: m})
	b.apply(t, store.PutMessage{Message: other})
	got := b.load(t)
	require.Len(t, got.Messages, 2)
	require.Equal(t, m, got.Messages[0])
	require.Equal(t, other, got.Messages[1])
}

// testLargeApply: one Apply larger than any batch limit is applied whole.
func testLargeApply(t *testing.T, b *bundle) {
	const n = 5000
	changes := []store.Change{store.PutQueue{Queue: newQueue("q")}}
	var want []store.Message
	for i := range n {
		m := newMessage("q", "m"+strconv.Itoa(i), int64(i))
		changes = append(changes, store.PutMessage{Message: m})
		if i%2 == 0 {
			changes = append(changes, store.DeleteMessage{QueueID: "q", ID: m.ID})
			continue
		}
		want = append(want, m)
	}
	b.apply(t, changes...)
	require.Equal(t, state([]store.Queue{newQueue("q")}, want, nil, nil), b.load(t))
}

// testFailedApplyIsAtomic: when one change of an Apply fails (here a
// duplicate PutMessage), none of the Apply's changes is written and the
// store stays usable.
func testFailedApplyAtomic(t *testing.T, b *bundle) {
	q, m1, m2 := newQueue("q"), newMessage("q", "m1", 1), newMessage("q", "m2", 2)
	b.apply(t, store.PutQueue{Queue: q}, store.PutMessage{Message: m1})
	err := b.s.Apply(t.Context(),
		store.PutQueue{Queue: newQueue("q2")},
		store.PutMessage{Message: m2},
		store.UpdateMessage{QueueID: "q", ID: "m1", State: store.MessageState{ReceiveCount: 7}},
		store.PutMessage{Message: m1},
	)
	require.Error(t, err)
	require.NotErrorIs(t, err, store.ErrClosed)
	require.Equal(t, state([]store.Queue{q}, []store.Message{m1}, nil, nil), b.load(t))
	b.apply(t, store.PutMessage{Message: m2})
	require.Equal(t, state([]store.Queue{q}, []store.Message{m1, m2}, nil, nil), b.load(t))
}

// testConcurrentApply: 64 concurrent callers all succeed and all their
// changes are visible (and, with Reopen, survive a reopen).
func testConcurrentApply(t *testing.T, b *bundle) {
	const callers = 64
	b.apply(t, store.PutQueue{Queue: newQueue("q")})
	errs := make([]error, callers)
	var want []store.Message
	var wg sync.WaitGroup
	for i := range callers {
		m := newMessage("q", "m"+strconv.Itoa(i), int64(i))
		st := store.MessageState{ReceiveCount: int64(i), Receipt: "r" + strconv.Itoa(i)}
		want = append(want, withState(m, st))
		wg.Go(func() {
			errs[i] = b.s.Apply(t.Context(),
				store.PutMessage{Message: m},
				store.UpdateMessage{QueueID: "q", ID: m.ID, State: st},
				store.PutDedup{Dedup: store.Dedup{QueueID: "q", Key: m.ID, MessageID: m.ID}},
			)
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	got := b.load(t)
	require.Equal(t, want, got.Messages)
	require.Len(t, got.Dedups, callers)
}

// testClose: Close is idempotent; Apply and Submit afterwards fail with
// ErrClosed and write nothing.
func testClose(t *testing.T, b *bundle) {
	b.apply(t, store.PutQueue{Queue: newQueue("q")})
	require.NoError(t, b.s.Close())
	require.NoError(t, b.s.Close())
	err := b.s.Apply(t.Context(), store.PutQueue{Queue: newQueue("q2")})
	require.ErrorIs(t, err, store.ErrClosed)
	require.ErrorIs(t, <-b.s.Submit(store.PutQueue{Queue: newQueue("q3")}), store.ErrClosed)
	if b.features.Reopen != nil {
		b.s = b.features.Reopen(t, b.s) // reopening a closed store is fine too
		require.Equal(t, state([]store.Queue{newQueue("q")}, nil, nil, nil), b.load(t))
	}
}
