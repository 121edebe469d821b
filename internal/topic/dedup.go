package topic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// kindDedup is the record kind of FIFO deduplication entries: one record per
// entry, written with the publish that made it, so a restart keeps the
// five-minute window. Expired records are deleted lazily (with a later
// publish on the topic, or at start-up).
const kindDedup = "sns-dedup"

// dedupEntry is one deduplication entry of a FIFO topic.
type dedupEntry struct {
	messageID string
	seq       string
	expires   time.Time
}

type dedupRecord struct {
	Topic     string `json:"topic"`
	Key       string `json:"key"`
	MessageID string `json:"messageId"`
	Seq       string `json:"seq"`
	Expires   int64  `json:"expires"` // Unix ms
}

// dedupRecordKey names the record of one entry; the dedup key may hold any
// character, so it is hashed.
func dedupRecordKey(topicArn, key string) string {
	h := sha256.Sum256([]byte(key))
	return topicArn + "#" + hex.EncodeToString(h[:])
}

// dedupSet is a topic's entries with their keys in insertion (and so expiry)
// order, for pruning without a scan. Guarded by topic.mu.
type dedupSet struct {
	entries map[string]dedupEntry
	order   []string
}

func newDedupSet() *dedupSet { return &dedupSet{entries: map[string]dedupEntry{}} }

// lookup returns the live entry of key.
func (d *dedupSet) lookup(key string, now time.Time) (dedupEntry, bool) {
	e, ok := d.entries[key]
	return e, ok && now.Before(e.expires)
}

// add records an entry and returns the change that persists it, with the
// deletions of the entries that expired.
func (d *dedupSet) add(topicArn, key string, e dedupEntry, now time.Time) []store.Change {
	changes := d.prune(topicArn, now)
	d.entries[key] = e
	d.order = append(d.order, key)
	b, _ := json.Marshal(dedupRecord{Topic: topicArn, Key: key, MessageID: e.messageID, Seq: e.seq, Expires: e.expires.UnixMilli()})
	return append(changes, store.PutRecord{Record: store.Record{Kind: kindDedup, Key: dedupRecordKey(topicArn, key), Data: b}})
}

// remove forgets an entry whose publish failed to commit.
func (d *dedupSet) remove(key string) { delete(d.entries, key) }

func (d *dedupSet) prune(topicArn string, now time.Time) []store.Change {
	var changes []store.Change
	for len(d.order) > 0 {
		k := d.order[0]
		e, ok := d.entries[k]
		if ok && now.Before(e.expires) {
			break
		}
		d.order = d.order[1:]
		if ok {
			delete(d.entries, k)
			changes = append(changes, store.DeleteRecord{Kind: kindDedup, Key: dedupRecordKey(topicArn, k)})
		}
	}
	return changes
}

// deleteAll returns the changes that remove every entry's record.
func (d *dedupSet) deleteAll(topicArn string) []store.Change {
	changes := make([]store.Change, 0, len(d.entries))
	for k := range d.entries {
		changes = append(changes, store.DeleteRecord{Kind: kindDedup, Key: dedupRecordKey(topicArn, k)})
	}
	return changes
}

// loadDedup restores the live entries of every topic and deletes the
// expired (or orphaned) records. Call with s.mu held, topics loaded.
func (s *Service) loadDedup(ctx context.Context) error {
	recs, err := s.store.LoadRecords(ctx, kindDedup)
	if err != nil {
		return fmt.Errorf("topic: load dedup entries: %w", err)
	}
	now := s.clock.Now()
	var stale []store.Change
	var live []dedupRecord
	for _, r := range recs {
		var dr dedupRecord
		if json.Unmarshal(r.Data, &dr) != nil || s.topics[dr.Topic] == nil || !now.Before(time.UnixMilli(dr.Expires)) {
			stale = append(stale, store.DeleteRecord{Kind: kindDedup, Key: r.Key})
			continue
		}
		live = append(live, dr)
	}
	sort.Slice(live, func(i, j int) bool { return live[i].Expires < live[j].Expires })
	for _, dr := range live {
		d := s.topics[dr.Topic].dedup
		d.entries[dr.Key] = dedupEntry{messageID: dr.MessageID, seq: dr.Seq, expires: time.UnixMilli(dr.Expires)}
		d.order = append(d.order, dr.Key)
	}
	if len(stale) == 0 {
		return nil
	}
	if err := s.store.Apply(ctx, stale...); err != nil {
		return fmt.Errorf("topic: delete expired dedup entries: %w", err)
	}
	return nil
}
