package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/store"
)

// Write statements. pgx prepares each once per connection and caches it.
const (
	putQueueSQL = `INSERT INTO queues (id, account, region, name, attributes, tags,
		created_at, modified_at, purged_at, next_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET account = excluded.account, region = excluded.region,
		name = excluded.name, attributes = excluded.attributes, tags = excluded.tags,
		created_at = excluded.created_at, modified_at = excluded.modified_at,
		purged_at = excluded.purged_at, next_seq = excluded.next_seq`
	deleteQueueSQL          = `DELETE FROM queues WHERE id = $1`
	deleteQueueDedupsSQL    = `DELETE FROM dedups WHERE queue_id = $1`
	deleteQueueMoveTasksSQL = `DELETE FROM move_tasks WHERE queue_id = $1`
	putMessageSQL           = `INSERT INTO messages (queue_id, id, seq, body, meta, visible_at,
		receive_count, first_receive_at, receipt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	updateMessageSQL = `UPDATE messages SET visible_at = $1, receive_count = $2,
		first_receive_at = $3, receipt = $4 WHERE queue_id = $5 AND id = $6`
	deleteMessageSQL = `DELETE FROM messages WHERE queue_id = $1 AND id = $2`
	purgeMessagesSQL = `DELETE FROM messages WHERE queue_id = $1`
	putDedupSQL      = `INSERT INTO dedups (queue_id, key, message_id, expires_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (queue_id, key) DO UPDATE SET message_id = excluded.message_id,
		expires_at = excluded.expires_at`
	deleteDedupSQL = `DELETE FROM dedups WHERE queue_id = $1 AND key = $2`
	putMoveTaskSQL = `INSERT INTO move_tasks (handle, queue_id, data) VALUES ($1, $2, $3)
		ON CONFLICT (handle) DO UPDATE SET queue_id = excluded.queue_id, data = excluded.data`
	deleteMoveTaskSQL = `DELETE FROM move_tasks WHERE handle = $1`
)

const (
	putRecordSQL = `INSERT INTO records (kind, "key", data) VALUES ($1, $2, $3)
		ON CONFLICT (kind, "key") DO UPDATE SET data = excluded.data`
	deleteRecordSQL = `DELETE FROM records WHERE kind = $1 AND "key" = $2`
)

// queue adds the statements for c to b.
func queue(b *pgx.Batch, c store.Change) error {
	switch c := c.(type) {
	case store.PutQueue:
		return queuePutQueue(b, c.Queue)
	case store.DeleteQueue:
		b.Queue(purgeMessagesSQL, c.QueueID)
		b.Queue(deleteQueueDedupsSQL, c.QueueID)
		b.Queue(deleteQueueMoveTasksSQL, c.QueueID)
		b.Queue(deleteQueueSQL, c.QueueID)
	case store.PutMessage:
		m := c.Message
		b.Queue(putMessageSQL, m.QueueID, m.ID, m.Seq, nonNil(m.Body), nonNil(m.Meta),
			m.State.VisibleAt, m.State.ReceiveCount, m.State.FirstReceiveAt, m.State.Receipt)
	case store.UpdateMessage:
		b.Queue(updateMessageSQL, c.State.VisibleAt, c.State.ReceiveCount,
			c.State.FirstReceiveAt, c.State.Receipt, c.QueueID, c.ID)
	case store.DeleteMessage:
		b.Queue(deleteMessageSQL, c.QueueID, c.ID)
	case store.PurgeMessages:
		b.Queue(purgeMessagesSQL, c.QueueID)
	case store.PutDedup:
		d := c.Dedup
		b.Queue(putDedupSQL, d.QueueID, d.Key, d.MessageID, d.ExpiresAt)
	case store.DeleteDedup:
		b.Queue(deleteDedupSQL, c.QueueID, c.Key)
	case store.PutMoveTask:
		b.Queue(putMoveTaskSQL, c.Task.Handle, c.Task.QueueID, nonNil(c.Task.Data))
	case store.DeleteMoveTask:
		b.Queue(deleteMoveTaskSQL, c.Handle)
	case store.PutRecord:
		b.Queue(putRecordSQL, c.Record.Kind, c.Record.Key, nonNil(c.Record.Data))
	case store.DeleteRecord:
		b.Queue(deleteRecordSQL, c.Kind, c.Key)
	default:
		return fmt.Errorf("postgres: unknown change %T", c)
	}
	return nil
}

func queuePutQueue(b *pgx.Batch, q store.Queue) error {
	attrs, err := encodeMap(q.Attributes)
	if err != nil {
		return err
	}
	tags, err := encodeMap(q.Tags)
	if err != nil {
		return err
	}
	b.Queue(putQueueSQL, q.ID, q.Account, q.Region, q.Name, attrs, tags,
		q.CreatedAt, q.ModifiedAt, q.PurgedAt, q.NextSeq)
	return nil
}

func encodeMap(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("postgres: encode map: %w", err)
	}
	return string(b), nil
}

func decodeMap(s string) (map[string]string, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("postgres: decode map: %w", err)
	}
	return m, nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
