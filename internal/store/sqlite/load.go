package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/fogbank/fogbank/internal/store"
)

// Rows whose queue does not exist (written after a DeleteQueue) are skipped.
const (
	loadQueuesSQL = `SELECT id, account, region, name, attributes, tags,
		created_at, modified_at, purged_at, next_seq FROM queues ORDER BY id`
	loadMessagesSQL = `SELECT queue_id, id, seq, body, meta, visible_at, receive_count,
		first_receive_at, receipt FROM messages
		WHERE queue_id IN (SELECT id FROM queues) ORDER BY queue_id, seq`
	loadDedupsSQL = `SELECT queue_id, "key", message_id, expires_at FROM dedups
		WHERE queue_id IN (SELECT id FROM queues) ORDER BY queue_id, "key"`
	loadMoveTasksSQL = `SELECT handle, queue_id, data FROM move_tasks
		WHERE queue_id IN (SELECT id FROM queues) ORDER BY handle`
)

// LoadQueues implements store.Store. It reads one consistent snapshot.
func (s *Store) LoadQueues(ctx context.Context) (store.QueueState, error) {
	if s.closed.Load() {
		return store.QueueState{}, store.ErrClosed
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return store.QueueState{}, fmt.Errorf("sqlite: load: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var st store.QueueState
	if st.Queues, err = loadRows(ctx, tx, loadQueuesSQL, scanQueue); err != nil {
		return store.QueueState{}, err
	}
	if st.Messages, err = loadRows(ctx, tx, loadMessagesSQL, scanMessage); err != nil {
		return store.QueueState{}, err
	}
	if st.Dedups, err = loadRows(ctx, tx, loadDedupsSQL, scanDedup); err != nil {
		return store.QueueState{}, err
	}
	if st.MoveTasks, err = loadRows(ctx, tx, loadMoveTasksSQL, scanMoveTask); err != nil {
		return store.QueueState{}, err
	}
	return st, nil
}

func loadRows[T any](ctx context.Context, tx *sql.Tx, query string, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("sqlite: load: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: load: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: load: %w", err)
	}
	return out, nil
}

func scanQueue(rows *sql.Rows) (store.Queue, error) {
	var q store.Queue
	var attrs, tags string
	err := rows.Scan(&q.ID, &q.Account, &q.Region, &q.Name, &attrs, &tags,
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

func scanMessage(rows *sql.Rows) (store.Message, error) {
	var m store.Message
	err := rows.Scan(&m.QueueID, &m.ID, &m.Seq, &m.Body, &m.Meta, &m.State.VisibleAt,
		&m.State.ReceiveCount, &m.State.FirstReceiveAt, &m.State.Receipt)
	return m, err
}

func scanDedup(rows *sql.Rows) (store.Dedup, error) {
	var d store.Dedup
	err := rows.Scan(&d.QueueID, &d.Key, &d.MessageID, &d.ExpiresAt)
	return d, err
}

func scanMoveTask(rows *sql.Rows) (store.MoveTask, error) {
	var t store.MoveTask
	err := rows.Scan(&t.Handle, &t.QueueID, &t.Data)
	return t, err
}
