package bus

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimiterPacesInvocations(t *testing.T) {
	t.Parallel()
	var l limiters
	now := ts("2024-01-01T00:00:00Z")
	var waits []time.Duration
	for range 4 {
		waits = append(waits, l.reserve("d", 2, now))
	}
	require.Equal(t, []time.Duration{0, 0, 500 * time.Millisecond, time.Second}, waits)
	// A second later one token is back (the reservations already spent two).
	require.Equal(t, 500*time.Millisecond, l.reserve("d", 2, now.Add(time.Second)))
	require.Zero(t, l.reserve("other", 2, now))
}

func TestTokenCacheRefetchesWhenExpiredOrForgotten(t *testing.T) {
	t.Parallel()
	var c tokenCache
	now := ts("2024-01-01T00:00:00Z")
	fetches := 0
	fetch := func() (string, time.Duration, error) { fetches++; return "t", time.Hour, nil }
	for range 3 {
		tok, err := c.get("conn", now, fetch)
		require.NoError(t, err)
		require.Equal(t, "t", tok)
	}
	require.Equal(t, 1, fetches)
	_, _ = c.get("conn", now.Add(time.Hour), fetch)
	require.Equal(t, 2, fetches)
	c.forget("conn")
	_, _ = c.get("conn", now.Add(time.Hour), fetch)
	require.Equal(t, 3, fetches)
}
