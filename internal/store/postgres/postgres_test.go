package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/storetest"
)

// Servers tried, in order, when FOGBANK_TEST_POSTGRES_URL is not set.
const (
	localTCP    = "postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"
	localSocket = "host=/var/run/postgresql user=postgres dbname=postgres"
)

// serverURL returns the URL of a Postgres server that answers. Without one
// the test is skipped, loudly, unless CI=true, where it fails.
func serverURL(tb testing.TB) string {
	tb.Helper()
	candidates := []string{localTCP, localSocket}
	if u := os.Getenv("FOGBANK_TEST_POSTGRES_URL"); u != "" {
		candidates = []string{u}
	}
	var tried []string
	for _, u := range candidates {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		conn, err := pgx.Connect(ctx, u)
		cancel()
		if err == nil {
			_ = conn.Close(context.Background())
			return u
		}
		tried = append(tried, redact(u))
		tb.Logf("postgres at %s: %v", redact(u), err)
	}
	where := "no server at " + strings.Join(tried, " or ") + "; set FOGBANK_TEST_POSTGRES_URL"
	if os.Getenv("CI") == "true" {
		tb.Fatal("postgres driver suite FAILED (CI=true forbids skipping): " + where)
	}
	tb.Skip("postgres driver suite SKIPPED: " + where)
	return ""
}

// redact hides the password of a URL.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return s
}

// freshSchema creates an empty schema, dropped when the test ends, and
// returns base with its search_path set to it.
func freshSchema(tb testing.TB, base string) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "fbtest_" + hex.EncodeToString(b[:])
	admin(tb, base, "CREATE SCHEMA "+schema)
	tb.Cleanup(func() { admin(tb, base, "DROP SCHEMA "+schema+" CASCADE") })
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		require.NoError(tb, err)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " search_path=" + schema
}

// admin runs one statement on its own connection; it works in Cleanup,
// after the test's context is gone.
func admin(tb testing.TB, base, sql string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	require.NoError(tb, err)
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, sql)
	require.NoError(tb, err)
}

func openFresh(tb testing.TB, base string) *Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, freshSchema(tb, base))
	require.NoError(tb, err)
	return s
}

func reopen(t *testing.T, old store.Store) store.Store {
	t.Helper()
	require.NoError(t, old.Close())
	s, err := Open(t.Context(), old.(*Store).cfg.ConnString())
	require.NoError(t, err)
	return s
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	base := serverURL(t)
	storetest.Exercise(t, func(t *testing.T) store.Store {
		t.Helper()
		return openFresh(t, base)
	}, storetest.Features{Reopen: reopen})
}

// TestSession checks the session settings the driver relies on: durable
// commits, and tables in the schema named by the URL.
func TestSession(t *testing.T) {
	t.Parallel()
	base := serverURL(t)
	s := openFresh(t, base)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	conn, err := pgx.ConnectConfig(t.Context(), s.cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	var syncCommit, schema string
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW synchronous_commit").Scan(&syncCommit))
	require.Equal(t, "on", syncCommit)
	require.NoError(t, conn.QueryRow(t.Context(),
		"SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'messages'::regclass").Scan(&schema))
	require.Equal(t, s.cfg.RuntimeParams["search_path"], schema)
}

// TestReconnect: a write after the server dropped the writer's connection
// succeeds, transparently, on a new one.
func TestReconnect(t *testing.T) {
	t.Parallel()
	s := openFresh(t, serverURL(t))
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	q := store.Queue{ID: "q", Attributes: map[string]string{}, Tags: map[string]string{}}
	require.NoError(t, s.Apply(t.Context(), store.PutQueue{Queue: q}))
	// The committer is idle, so the writer connection is not in use. The
	// second argument waits until the backend is gone.
	pid := s.conn.PgConn().PID()
	admin(t, serverURL(t), "SELECT pg_terminate_backend("+itoa(pid)+", 10000)")
	require.NoError(t, s.Apply(t.Context(), store.DeleteQueue{QueueID: "q"}))
	require.NotEqual(t, pid, s.conn.PgConn().PID())
	st, err := s.LoadQueues(t.Context())
	require.NoError(t, err)
	require.Empty(t, st.Queues)
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

func BenchmarkApply(b *testing.B) {
	s := openFresh(b, serverURL(b))
	b.Cleanup(func() { require.NoError(b, s.Close()) })
	storetest.BenchApply(b, s)
}
