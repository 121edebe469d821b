package sqlite

import (
	"context"
	"fmt"

	"github.com/fogbank/fogbank/internal/store"
)

// LoadRecords implements store.Store.
func (s *Store) LoadRecords(ctx context.Context, kind string) ([]store.Record, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	rows, err := s.read.QueryContext(ctx, `SELECT "key", data FROM records WHERE kind = ? ORDER BY "key"`, kind)
	if err != nil {
		return nil, fmt.Errorf("sqlite: load records: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []store.Record
	for rows.Next() {
		r := store.Record{Kind: kind}
		if err := rows.Scan(&r.Key, &r.Data); err != nil {
			return nil, fmt.Errorf("sqlite: load records: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: load records: %w", err)
	}
	return out, nil
}
