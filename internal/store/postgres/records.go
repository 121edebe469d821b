package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/store"
)

// LoadRecords implements store.Store.
func (s *Store) LoadRecords(ctx context.Context, kind string) ([]store.Record, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	conn, err := pgx.ConnectConfig(ctx, s.cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: load records: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	rows, err := conn.Query(ctx, `SELECT "key", data FROM records WHERE kind = $1 ORDER BY "key"`, kind)
	if err != nil {
		return nil, fmt.Errorf("postgres: load records: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Record, error) {
		r := store.Record{Kind: kind}
		err := row.Scan(&r.Key, &r.Data)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: load records: %w", err)
	}
	return out, nil
}
