package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/storetest"
)

func openFile(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "fogbank.db"))
	require.NoError(t, err)
	return s
}

func reopen(t *testing.T, old store.Store) store.Store {
	t.Helper()
	require.NoError(t, old.Close())
	s, err := Open(old.(*Store).Path())
	require.NoError(t, err)
	return s
}

func TestFile(t *testing.T) {
	t.Parallel()
	storetest.Exercise(t, openFile, storetest.Features{Reopen: reopen})
}

func TestMemory(t *testing.T) {
	t.Parallel()
	storetest.Exercise(t, func(t *testing.T) store.Store {
		t.Helper()
		s, err := Open(Memory)
		require.NoError(t, err)
		return s
	}, storetest.Features{})
}

func TestOpenRejectsURIPaths(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"", "a.db?mode=ro", "a#b"} {
		_, err := Open(p)
		require.Error(t, err, p)
	}
}

func BenchmarkApply(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, s.Close()) })
	storetest.BenchApply(b, s)
}

// TestDurabilitySettings checks the connection settings the durability
// promise rests on.
func TestDurabilitySettings(t *testing.T) {
	t.Parallel()
	s := openFile(t).(*Store)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	var mode string
	var sync int
	require.NoError(t, s.write.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode))
	require.NoError(t, s.write.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&sync))
	require.Equal(t, "wal", mode)
	require.Equal(t, 2, sync, "synchronous=FULL")
	require.NoError(t, s.read.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&sync))
	require.Equal(t, 2, sync, "synchronous=FULL")
}
