// Package sqlite implements store.Store on an embedded SQLite database,
// through modernc.org/sqlite (pure Go, so CGO_ENABLED=0 builds work).
//
// # Durability
//
// The database runs in WAL mode with synchronous=FULL: every commit fsyncs
// the WAL before Apply returns, so an acknowledged change survives kill -9
// and power loss. Concurrent Apply calls share one transaction and one fsync
// through a store.Committer.
//
// # Connections
//
// All writes go through one dedicated connection, with statements prepared
// once at Open. LoadQueues reads through a separate pool of read-only
// connections, which WAL lets run beside the writer. The path ":memory:"
// gives a throw-away database on a single connection used for both, since
// every connection to ":memory:" would otherwise see its own database.
//
// # Schema
//
// The embedded migrations/*.sql files are applied in name order at Open,
// each recorded in schema_migrations. Attributes and Tags are stored as JSON
// objects: nil and empty maps both load as empty, non-nil maps, and their
// strings must be valid UTF-8. Nil byte slices are stored as empty ones.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/fogbank/fogbank/internal/store"
)

// Memory is the path that opens a throw-away in-memory database.
const Memory = ":memory:"

// maxBatch bounds the number of changes the committer puts in one
// transaction.
const maxBatch = 2048

// connParams configure every connection. busy_timeout matters only when
// another process holds the database; _txlock=immediate takes the write lock
// at BEGIN so a write transaction never fails half way on SQLITE_BUSY.
const connParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(FULL)&_txlock=immediate"

// Store is a store.Store on one SQLite database file.
type Store struct {
	path      string
	write     *sql.DB // exactly one connection; only the committer writes
	read      *sql.DB // the same pool as write for ":memory:"
	stmts     *statements
	committer *store.Committer

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Open opens or creates the database at path (Memory for an in-memory one)
// and migrates it to the current schema.
func Open(path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	ctx := context.Background()
	write, err := openPool(path+"?"+connParams, 1)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, write: write, read: write}
	if err := s.init(ctx); err != nil {
		_ = s.closeDBs()
		return nil, err
	}
	s.committer = store.NewCommitter(s.apply, maxBatch)
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	if err := migrate(ctx, s.write); err != nil {
		return err
	}
	stmts, err := prepare(ctx, s.write)
	if err != nil {
		return err
	}
	s.stmts = stmts
	if s.path != Memory {
		s.read, err = openPool(s.path+"?"+connParams+"&_pragma=query_only(1)", 2)
		if err != nil {
			return err
		}
	}
	return nil
}

// openPool opens a pool of at most n connections that are never recycled:
// for ":memory:" a new connection would be a new, empty database.
func openPool(dsn string, n int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	return db, nil
}

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// Apply implements store.Store.
func (s *Store) Apply(ctx context.Context, changes ...store.Change) error {
	return s.committer.Apply(ctx, changes...)
}

// Submit implements store.Store.
func (s *Store) Submit(changes ...store.Change) <-chan error {
	return s.committer.Submit(changes...)
}

// Close commits what was submitted before it and closes the database. It is
// safe to call more than once; later calls return the first call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.committer.Close()
		s.closeErr = s.closeDBs()
	})
	return s.closeErr
}

func (s *Store) closeDBs() error {
	var errs []error
	if s.stmts != nil {
		errs = append(errs, s.stmts.close())
	}
	if s.read != s.write && s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}
