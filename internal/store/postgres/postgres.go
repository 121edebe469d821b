// Package postgres implements store.Store on PostgreSQL through pgx.
//
// # Durability
//
// Every batch the store.Committer hands over is one transaction, pipelined
// with a pgx.Batch (BEGIN, the changes, then COMMIT: two round trips
// whatever the batch size). The session runs with synchronous_commit=on
// unless the URL sets it, so a commit that returned is in the server's WAL
// on disk.
//
// # Connections
//
// Writes go through one dedicated connection owned by the committer's
// goroutine; it is re-established when the server drops it. LoadQueues runs
// on a connection of its own, opened per call, in one REPEATABLE READ
// snapshot.
//
// # Schema
//
// Tables live in the first schema of the session's search_path: put
// search_path=<schema> in the URL to give each fogbank node (or test) its
// own. The embedded migrations/*.sql files are applied in name order at
// Open, each recorded in schema_migrations, under an advisory lock so that
// concurrent Opens do not race. Attributes and Tags are stored as JSON
// objects in text columns: nil and empty maps both load as empty, non-nil
// maps; their strings must be valid UTF-8. Nil byte slices are stored as
// empty ones. Identifiers sort bytewise (COLLATE "C").
package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/store"
)

// maxBatch bounds the number of changes the committer puts in one
// transaction.
const maxBatch = 2048

// reconnectTimeout bounds how long a write waits for a dropped writer
// connection to be re-established.
const reconnectTimeout = 30 * time.Second

// Store is a store.Store on one PostgreSQL schema.
type Store struct {
	cfg       *pgx.ConnConfig
	conn      *pgx.Conn // the writer's: used by the committer goroutine, then by Close
	committer *store.Committer

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string) and migrates it to the current schema.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, ok := cfg.RuntimeParams["synchronous_commit"]; !ok {
		cfg.RuntimeParams["synchronous_commit"] = "on"
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := migrate(ctx, conn); err != nil {
		_ = conn.Close(context.Background())
		return nil, err
	}
	s := &Store{cfg: cfg, conn: conn}
	s.committer = store.NewCommitter(s.apply, maxBatch)
	return s, nil
}

// Apply implements store.Store.
func (s *Store) Apply(ctx context.Context, changes ...store.Change) error {
	return s.committer.Apply(ctx, changes...)
}

// Submit implements store.Store.
func (s *Store) Submit(changes ...store.Change) <-chan error {
	return s.committer.Submit(changes...)
}

// Close commits what was submitted before it and closes the connection. It
// is safe to call more than once; later calls return the first call's
// result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.committer.Close()
		if s.conn != nil {
			if err := s.conn.Close(context.Background()); err != nil {
				s.closeErr = fmt.Errorf("postgres: close: %w", err)
			}
		}
	})
	return s.closeErr
}

// writer returns the write connection, reconnecting if it was lost.
func (s *Store) writer(ctx context.Context) (*pgx.Conn, error) {
	if s.conn != nil && !s.conn.IsClosed() {
		return s.conn, nil
	}
	ctx, cancel := context.WithTimeout(ctx, reconnectTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, s.cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: reconnect: %w", err)
	}
	s.conn = conn
	return conn, nil
}

// apply is the committer's ApplyFunc. When the connection was lost before
// COMMIT was sent, nothing was written, so the batch is retried once on a
// new connection: a server restart or a dropped idle connection costs no
// failed request.
func (s *Store) apply(ctx context.Context, changes []store.Change) error {
	err := s.applyOnce(ctx, changes)
	if errors.Is(err, errConnLost) {
		err = s.applyOnce(ctx, changes)
	}
	return err
}

// errConnLost marks a batch that failed, uncommitted, with its connection.
var errConnLost = errors.New("connection lost before commit")

// applyOnce writes changes in one pipelined transaction: BEGIN and every
// statement in one round trip, COMMIT in a second.
func (s *Store) applyOnce(ctx context.Context, changes []store.Change) error {
	conn, err := s.writer(ctx)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	for _, c := range changes {
		if err := queue(b, c); err != nil {
			return err
		}
	}
	br := conn.SendBatch(ctx, b)
	tx := br.Tx()
	if err := br.Close(); err != nil {
		if conn.IsClosed() {
			return fmt.Errorf("postgres: apply: %w: %w", errConnLost, err)
		}
		if rbErr := tx.Rollback(ctx); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			_ = conn.Close(ctx) // unknown state: start over on a new connection
		}
		return fmt.Errorf("postgres: apply: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		// If the connection broke, the commit may or may not have happened;
		// the caller hears of an error either way and must not assume
		// either outcome.
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}
