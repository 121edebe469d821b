package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
)

// loadRecords reads a kind's records (checking them again after a reopen
// when the driver supports it). Nil data loads as empty.
func (b *bundle) loadRecords(t *testing.T, kind string) []store.Record {
	t.Helper()
	read := func() []store.Record {
		rs, err := b.s.LoadRecords(t.Context(), kind)
		require.NoError(t, err)
		for i := range rs {
			rs[i].Data = nonNilBytes(rs[i].Data)
		}
		return rs
	}
	rs := read()
	if b.features.Reopen != nil {
		b.s = b.features.Reopen(t, b.s)
		require.Equal(t, rs, read(), "records after close and reopen")
	}
	return rs
}

// testRecords: records round-trip per kind, ordered by key, upsert on Put,
// and deleting a missing record is not an error.
func testRecords(t *testing.T, b *bundle) {
	bin := []byte{0, 0xff, 'x', 0x80}
	b.apply(t,
		store.PutRecord{Record: store.Record{Kind: "topic", Key: "b", Data: []byte(`{"v":1}`)}},
		store.PutRecord{Record: store.Record{Kind: "topic", Key: "a", Data: bin}},
		store.PutRecord{Record: store.Record{Kind: "rule", Key: "a", Data: []byte("r")}},
		store.PutRecord{Record: store.Record{Kind: "topic", Key: "c"}},
	)
	b.apply(t,
		store.PutRecord{Record: store.Record{Kind: "topic", Key: "b", Data: []byte(`{"v":2}`)}},
		store.DeleteRecord{Kind: "topic", Key: "c"},
		store.DeleteRecord{Kind: "topic", Key: "missing"},
	)
	require.Equal(t, []store.Record{
		{Kind: "topic", Key: "a", Data: bin},
		{Kind: "topic", Key: "b", Data: []byte(`{"v":2}`)},
	}, b.loadRecords(t, "topic"))
	require.Equal(t, []store.Record{{Kind: "rule", Key: "a", Data: []byte("r")}}, b.loadRecords(t, "rule"))
	require.Empty(t, b.loadRecords(t, "nothing"))
	// Records are independent of queues.
	require.Equal(t, store.QueueState{}, b.load(t))
}
