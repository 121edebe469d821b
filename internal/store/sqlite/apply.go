package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fogbank/fogbank/internal/store"
)

// stmt names a prepared write statement.
type stmt int

const (
	stPutQueue stmt = iota
	stDeleteQueue
	stDeleteQueueDedups
	stDeleteQueueMoveTasks
	stPutMessage
	stUpdateMessage
	stDeleteMessage
	stPurgeMessages
	stPutDedup
	stDeleteDedup
	stPutMoveTask
	stDeleteMoveTask
	stPutRecord
	stDeleteRecord
	numStmts
)

// writeSQL holds the statement text of every stmt; read-only.
var writeSQL = [numStmts]string{
	stPutQueue: `INSERT INTO queues (id, account, region, name, attributes, tags,
		created_at, modified_at, purged_at, next_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET account = excluded.account, region = excluded.region,
		name = excluded.name, attributes = excluded.attributes, tags = excluded.tags,
		created_at = excluded.created_at, modified_at = excluded.modified_at,
		purged_at = excluded.purged_at, next_seq = excluded.next_seq`,
	stDeleteQueue:          `DELETE FROM queues WHERE id = ?`,
	stDeleteQueueDedups:    `DELETE FROM dedups WHERE queue_id = ?`,
	stDeleteQueueMoveTasks: `DELETE FROM move_tasks WHERE queue_id = ?`,
	stPutMessage: `INSERT INTO messages (queue_id, id, seq, body, meta, visible_at,
		receive_count, first_receive_at, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	stUpdateMessage: `UPDATE messages SET visible_at = ?, receive_count = ?,
		first_receive_at = ?, receipt = ? WHERE queue_id = ? AND id = ?`,
	stDeleteMessage: `DELETE FROM messages WHERE queue_id = ? AND id = ?`,
	stPurgeMessages: `DELETE FROM messages WHERE queue_id = ?`,
	stPutDedup: `INSERT INTO dedups (queue_id, "key", message_id, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (queue_id, "key") DO UPDATE SET message_id = excluded.message_id,
		expires_at = excluded.expires_at`,
	stDeleteDedup: `DELETE FROM dedups WHERE queue_id = ? AND "key" = ?`,
	stPutMoveTask: `INSERT INTO move_tasks (handle, queue_id, data) VALUES (?, ?, ?)
		ON CONFLICT (handle) DO UPDATE SET queue_id = excluded.queue_id, data = excluded.data`,
	stDeleteMoveTask: `DELETE FROM move_tasks WHERE handle = ?`,
	stPutRecord: `INSERT INTO records (kind, "key", data) VALUES (?, ?, ?)
		ON CONFLICT (kind, "key") DO UPDATE SET data = excluded.data`,
	stDeleteRecord: `DELETE FROM records WHERE kind = ? AND "key" = ?`,
}

// statements are the write statements, prepared on the write connection.
type statements [numStmts]*sql.Stmt

func prepare(ctx context.Context, db *sql.DB) (*statements, error) {
	var st statements
	for i, q := range writeSQL {
		if q == "" {
			_ = st.close()
			return nil, fmt.Errorf("sqlite: statement %d has no SQL", i)
		}
		p, err := db.PrepareContext(ctx, q)
		if err != nil {
			_ = st.close()
			return nil, fmt.Errorf("sqlite: prepare %d: %w", i, err)
		}
		st[i] = p
	}
	return &st, nil
}

func (st *statements) close() error {
	var errs []error
	for _, p := range st {
		if p != nil {
			errs = append(errs, p.Close())
		}
	}
	return errors.Join(errs...)
}

// apply is the committer's ApplyFunc: one transaction, one fsync.
func (s *Store) apply(ctx context.Context, changes []store.Change) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	w := txWriter{ctx: ctx, tx: tx, prepared: s.stmts}
	for _, c := range changes {
		if err := w.change(c); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// txWriter executes changes in one transaction, binding each prepared
// statement to it on first use.
type txWriter struct {
	ctx      context.Context
	tx       *sql.Tx
	prepared *statements
	bound    statements
}

func (w *txWriter) exec(s stmt, args ...any) error {
	if w.bound[s] == nil {
		w.bound[s] = w.tx.StmtContext(w.ctx, w.prepared[s])
	}
	if _, err := w.bound[s].ExecContext(w.ctx, args...); err != nil {
		return fmt.Errorf("sqlite: %s: %w", stmtNames[s], err)
	}
	return nil
}

// stmtNames name the statements in errors; read-only.
var stmtNames = [numStmts]string{
	stPutQueue: "put queue", stDeleteQueue: "delete queue", stDeleteQueueDedups: "delete queue dedups",
	stDeleteQueueMoveTasks: "delete queue move tasks", stPutMessage: "put message",
	stUpdateMessage: "update message", stDeleteMessage: "delete message", stPurgeMessages: "purge messages",
	stPutDedup: "put dedup", stDeleteDedup: "delete dedup", stPutMoveTask: "put move task",
	stDeleteMoveTask: "delete move task", stPutRecord: "put record", stDeleteRecord: "delete record",
}

func (w *txWriter) change(c store.Change) error {
	switch c := c.(type) {
	case store.PutQueue:
		return w.putQueue(c.Queue)
	case store.DeleteQueue:
		return w.deleteQueue(c.QueueID)
	case store.PutMessage:
		m := c.Message
		return w.exec(stPutMessage, m.QueueID, m.ID, m.Seq, nonNil(m.Body), nonNil(m.Meta),
			m.State.VisibleAt, m.State.ReceiveCount, m.State.FirstReceiveAt, m.State.Receipt)
	case store.UpdateMessage:
		return w.exec(stUpdateMessage, c.State.VisibleAt, c.State.ReceiveCount,
			c.State.FirstReceiveAt, c.State.Receipt, c.QueueID, c.ID)
	case store.DeleteMessage:
		return w.exec(stDeleteMessage, c.QueueID, c.ID)
	case store.PurgeMessages:
		return w.exec(stPurgeMessages, c.QueueID)
	case store.PutDedup:
		d := c.Dedup
		return w.exec(stPutDedup, d.QueueID, d.Key, d.MessageID, d.ExpiresAt)
	case store.DeleteDedup:
		return w.exec(stDeleteDedup, c.QueueID, c.Key)
	case store.PutMoveTask:
		return w.exec(stPutMoveTask, c.Task.Handle, c.Task.QueueID, nonNil(c.Task.Data))
	case store.DeleteMoveTask:
		return w.exec(stDeleteMoveTask, c.Handle)
	case store.PutRecord:
		return w.exec(stPutRecord, c.Record.Kind, c.Record.Key, nonNil(c.Record.Data))
	case store.DeleteRecord:
		return w.exec(stDeleteRecord, c.Kind, c.Key)
	default:
		return fmt.Errorf("sqlite: unknown change %T", c)
	}
}

func (w *txWriter) putQueue(q store.Queue) error {
	attrs, err := encodeMap(q.Attributes)
	if err != nil {
		return err
	}
	tags, err := encodeMap(q.Tags)
	if err != nil {
		return err
	}
	return w.exec(stPutQueue, q.ID, q.Account, q.Region, q.Name, attrs, tags,
		q.CreatedAt, q.ModifiedAt, q.PurgedAt, q.NextSeq)
}

// deleteQueue deletes the queue and everything that belongs to it.
func (w *txWriter) deleteQueue(id string) error {
	for _, s := range []stmt{stPurgeMessages, stDeleteQueueDedups, stDeleteQueueMoveTasks, stDeleteQueue} {
		if err := w.exec(s, id); err != nil {
			return err
		}
	}
	return nil
}

func encodeMap(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("sqlite: encode map: %w", err)
	}
	return string(b), nil
}

func decodeMap(s string) (map[string]string, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("sqlite: decode map: %w", err)
	}
	return m, nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
