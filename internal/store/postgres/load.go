package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/store"
)

// Rows whose queue does not exist (written after a DeleteQueue) are skipped.
const (
	loadQueuesSQL = `SELECT id, account, region, name, attributes, tags,
		created_at, modified_at, purged_at, next_seq FROM queues ORDER BY id`
	loadMessagesSQL = `SELECT queue_id, id, seq, body, meta, visible_at, receive_count,
		first_receive_at, receipt FROM messages
		WHERE queue_id IN (SELECT id FROM queues) ORDER BY queue_id, seq`
	loadDedupsSQL = `SELECT queue_id, key, message_id, expires_at FROM dedups
		WHERE queue_id IN (SELECT id FROM queues) ORDER BY queue_id, key`
	loadMoveTasksSQL = `SELECT handle, queue_id, data FROM move_tasks
		WHERE queue_id IN (SELECT id FROM queues) ORDER BY handle`
)

// LoadQueues implements store.Store. It reads one consistent snapshot on a
// connection of its own.
func (s *Store) LoadQueues(ctx context.Context) (store.QueueState, error) {
	if s.closed.Load() {
		return store.QueueState{}, store.ErrClosed
	}
	conn, err := pgx.ConnectConfig(ctx, s.cfg)
	if err != nil {
		return store.QueueState{}, fmt.Errorf("postgres: load: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	var st store.QueueState
	err = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var err error
			if st.Queues, err = loadRows(ctx, tx, loadQueuesSQL, scanQueue); err != nil {
				return err
			}
			if st.Messages, err = loadRows(ctx, tx, loadMessagesSQL, scanMessage); err != nil {
				return err
			}
			if st.Dedups, err = loadRows(ctx, tx, loadDedupsSQL, scanDedup); err != nil {
				return err
			}
			st.MoveTasks, err = loadRows(ctx, tx, loadMoveTasksSQL, scanMoveTask)
			return err
		})
	if err != nil {
		return store.QueueState{}, fmt.Errorf("postgres: load: %w", err)
	}
	return st, nil
}

func loadRows[T any](ctx context.Context, tx pgx.Tx, query string, scan pgx.RowToFunc[T]) ([]T, error) {
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scan)
}

func scanQueue(row pgx.CollectableRow) (store.Queue, error) {
	var q store.Queue
	var attrs, tags string
	err := row.Scan(&q.ID, &q.Account, &q.Region, &q.Name, &attrs, &tags,
		&q.CreatedAt, &q.ModifiedAt, &q.PurgedAt, &q.NextSeq)
	if err != nil {
		return q, err
	}
	if q.Attributes, err = decodeMap(attrs); err != nil {
		return q, err
	}
	q.Tags, err = decodeMap(tags)
	return q, err
}

func scanMessage(row pgx.CollectableRow) (store.Message, error) {
	var m store.Message
	err := row.Scan(&m.QueueID, &m.ID, &m.Seq, &m.Body, &m.Meta, &m.State.VisibleAt,
		&m.State.ReceiveCount, &m.State.FirstReceiveAt, &m.State.Receipt)
	return m, err
}

func scanDedup(row pgx.CollectableRow) (store.Dedup, error) {
	var d store.Dedup
	err := row.Scan(&d.QueueID, &d.Key, &d.MessageID, &d.ExpiresAt)
	return d, err
}

func scanMoveTask(row pgx.CollectableRow) (store.MoveTask, error) {
	var t store.MoveTask
	err := row.Scan(&t.Handle, &t.QueueID, &t.Data)
	return t, err
}
