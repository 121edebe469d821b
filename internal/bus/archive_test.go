package bus

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestArchiveRetentionRunsFromArchiveTime(t *testing.T) {
	t.Parallel()
	e := setupSched(t)
	days := int32(1)
	_, err := e.svc.CreateArchive(t.Context(), ArchiveInput{
		Caller: me, Name: "short",
		EventSourceArn: "arn:aws:events:us-east-1:000000000000:event-bus/default", RetentionDays: &days,
	})
	require.NoError(t, err)
	// The event claims to be a year old: retention still runs from now.
	old := e.clk.Now().Add(-365 * 24 * time.Hour)
	src, dt, detail := "shop", "order", `{"n":1}`
	res, err := e.svc.PutEvents(t.Context(), PutEventsInput{Caller: me, Entries: []Entry{{Time: &old, Source: &src, DetailType: &dt, Detail: &detail}}})
	require.NoError(t, err)
	require.Empty(t, res[0].ErrorCode)

	recs, err := e.st.LoadRecords(t.Context(), archiveRecord{Account: me.Account, Region: me.Region, Name: "short"}.eventsKind())
	require.NoError(t, err)
	require.Len(t, recs, 1)
	at, ev := decodeArchived(recs[0].Data)
	require.Equal(t, e.clk.Now().UnixMilli(), at)
	require.JSONEq(t, detail, string(mustDetail(t, ev)))

	e.restart() // within retention: kept
	info, err := e.svc.DescribeArchive(t.Context(), me, "short")
	require.NoError(t, err)
	require.Equal(t, int64(1), info.EventCount)

	e.clk.Advance(25 * time.Hour)
	e.restart() // past retention: purged at start-up
	info, err = e.svc.DescribeArchive(t.Context(), me, "short")
	require.NoError(t, err)
	require.Zero(t, info.EventCount)
	recs, err = e.st.LoadRecords(t.Context(), archiveRecord{Account: me.Account, Region: me.Region, Name: "short"}.eventsKind())
	require.NoError(t, err)
	require.Empty(t, recs)
}

func TestDecodeArchivedAcceptsUnprefixedEvents(t *testing.T) {
	t.Parallel()
	at, ev := decodeArchived([]byte(`{"id":"x"}`))
	require.Equal(t, int64(-1), at)
	require.Equal(t, `{"id":"x"}`, string(ev))
	require.False(t, archiveRecord{RetentionDays: 1}.expired(at, time.Now()))
	at, ev = decodeArchived(encodeArchived(time.UnixMilli(42), []byte(`{"a":1}`)))
	require.Equal(t, int64(42), at)
	require.Equal(t, `{"a":1}`, string(ev))
}

func mustDetail(t *testing.T, event []byte) []byte {
	t.Helper()
	var env struct {
		Detail json.RawMessage `json:"detail"`
	}
	require.NoError(t, json.Unmarshal(event, &env))
	return env.Detail
}
