package function

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConcurrencyLimits(t *testing.T) {
	t.Parallel()
	c := newConcurrency()
	one := 1
	reserved := slot{key: funcKey{"a", "r", "reserved"}, reserved: &one, pool: 2}
	free := slot{key: funcKey{"a", "r", "free"}, pool: 2}
	other := slot{key: funcKey{"a", "r", "other"}, pool: 2}

	require.NoError(t, c.acquire(t.Context(), reserved, false))
	err := c.acquire(t.Context(), reserved, false)
	requireReason(t, err, ReasonReserved)

	// The unreserved pool of 2 is shared by the unreserved functions; the
	// reserved function does not use it.
	require.NoError(t, c.acquire(t.Context(), free, false))
	require.NoError(t, c.acquire(t.Context(), other, false))
	err = c.acquire(t.Context(), free, false)
	requireReason(t, err, ReasonAccount)

	// A waiting claim gets the slot an ending invocation frees.
	got := make(chan error, 1)
	go func() { got <- c.acquire(t.Context(), free, true) }()
	c.release(other)
	select {
	case err := <-got:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting claim did not get the freed slot")
	}

	// A waiting claim gives up with its context.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.True(t, IsCode(c.acquire(ctx, other, true), CodeTooManyRequests))
}

func requireReason(t *testing.T, err error, reason string) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, CodeTooManyRequests, e.Code)
	require.Equal(t, reason, e.Reason)
}
