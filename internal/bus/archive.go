package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordArchive is the store record kind of archives.
const RecordArchive = "events-archive"

// ArchiveState is ENABLED: fogbank creates and updates archives at once.
const ArchiveState = "ENABLED"

var archiveNamePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)

// archiveRecord is an archive as stored.
type archiveRecord struct {
	Account       string `json:"account"`
	Region        string `json:"region"`
	Name          string `json:"name"`
	Bus           string `json:"bus"`
	Description   string `json:"description,omitempty"`
	EventPattern  string `json:"eventPattern,omitempty"`
	RetentionDays int32  `json:"retentionDays,omitempty"`
	Created       int64  `json:"created"` // Unix ms
}

func (r archiveRecord) key() string { return r.Account + "/" + r.Region + "/" + r.Name }

// eventsKind is the record kind holding the archive's events, keyed by
// event time (zero-padded Unix ms) then event id, so a time window is a key
// range.
func (r archiveRecord) eventsKind() string { return "events-archived/" + r.key() }

func (r archiveRecord) arn() string {
	return arn.ARN{Partition: arn.Partition(r.Region), Service: "events", Region: r.Region, Account: r.Account, Resource: "archive/" + r.Name}.String()
}

type archive struct {
	rec     archiveRecord
	pattern *pattern.Pattern // nil: every event
	count   atomic.Int64
	size    atomic.Int64
}

// ArchiveInfo describes an archive.
type ArchiveInfo struct {
	Name           string
	Arn            string
	EventSourceArn string
	Description    string
	EventPattern   string
	State          string
	RetentionDays  int32
	SizeBytes      int64
	EventCount     int64
	Created        time.Time
}

func (a *archive) info() ArchiveInfo {
	r := a.rec
	return ArchiveInfo{
		Name: r.Name, Arn: r.arn(), EventSourceArn: busArn(r.Region, r.Account, r.Bus), Description: r.Description,
		EventPattern: r.EventPattern, State: ArchiveState, RetentionDays: r.RetentionDays, SizeBytes: a.size.Load(),
		EventCount: a.count.Load(), Created: time.UnixMilli(r.Created).UTC(),
	}
}

type archiveKey struct{ account, region, name string }

// ArchiveInput creates or updates an archive.
type ArchiveInput struct {
	Caller
	Name           string
	EventSourceArn string // CreateArchive only
	Description    *string
	EventPattern   *string
	RetentionDays  *int32
}

// CreateArchive creates an archive of a bus's events.
func (s *Service) CreateArchive(ctx context.Context, in ArchiveInput) (ArchiveInfo, error) {
	if err := validateArchiveName(in.Name); err != nil {
		return ArchiveInfo{}, err
	}
	rec := archiveRecord{Account: in.Account, Region: in.Region, Name: in.Name, Created: s.clock.Now().UnixMilli()}
	a := &archive{}
	if err := applyArchive(a, &rec, in); err != nil {
		return ArchiveInfo{}, err
	}
	src, err := arn.Parse(in.EventSourceArn)
	name, ok := strings.CutPrefix(src.Resource, "event-bus/")
	if err != nil || !ok || src.Service != "events" {
		return ArchiveInfo{}, validation("Parameter %s is not valid. Reason: Provided Arn is not in correct format.", in.EventSourceArn)
	}
	if _, err := s.readBus(in.Caller, name); err != nil {
		return ArchiveInfo{}, err
	}
	rec.Bus = name
	a.rec = rec
	s.mu.Lock()
	k := archiveKey{in.Account, in.Region, in.Name}
	if s.archives[k] != nil {
		s.mu.Unlock()
		return ArchiveInfo{}, errorf(CodeResourceAlreadyExists, "Archive %s already exists.", in.Name)
	}
	b := s.busLocked(in.Caller, name, true)
	if b == nil {
		s.mu.Unlock()
		return ArchiveInfo{}, busNotFound(name)
	}
	s.archives[k] = a
	b.archives = append(b.archives, a)
	done := s.store.Submit(archiveChange(rec))
	s.mu.Unlock()
	return a.info(), commit(done)
}

func validateArchiveName(name string) error {
	switch {
	case name == "":
		return constraint(name, "archiveName", "Member must have length greater than or equal to 1")
	case len(name) > 48:
		return constraint(name, "archiveName", "Member must have length less than or equal to 48")
	case !archiveNamePattern.MatchString(name):
		return constraint(name, "archiveName", "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
	}
	return nil
}

// applyArchive validates and applies the settable fields of in.
func applyArchive(a *archive, rec *archiveRecord, in ArchiveInput) error {
	if in.Description != nil {
		if len(*in.Description) > 512 {
			return constraint(*in.Description, "description", "Member must have length less than or equal to 512")
		}
		rec.Description = *in.Description
	}
	if in.RetentionDays != nil {
		if *in.RetentionDays < 0 {
			return constraint(fmt.Sprint(*in.RetentionDays), "retentionDays", "Member must have value greater than or equal to 0")
		}
		rec.RetentionDays = *in.RetentionDays
	}
	if in.EventPattern != nil {
		rec.EventPattern = *in.EventPattern
		a.pattern = nil
		if *in.EventPattern != "" {
			p, err := pattern.Compile([]byte(*in.EventPattern))
			if err != nil {
				return patternErr(err)
			}
			a.pattern = p
		}
	}
	return nil
}

func archiveChange(rec archiveRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordArchive, Key: rec.key(), Data: b}}
}

func (s *Service) findArchive(c Caller, name string) (*archive, error) {
	a := s.archives[archiveKey{c.Account, c.Region, name}]
	if a == nil {
		return nil, errorf(CodeResourceNotFound, "Archive %s does not exist.", name)
	}
	return a, nil
}

// DescribeArchive returns an archive.
func (s *Service) DescribeArchive(_ context.Context, c Caller, name string) (ArchiveInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.findArchive(c, name)
	if err != nil {
		return ArchiveInfo{}, err
	}
	return a.info(), nil
}

// UpdateArchive changes an archive's description, pattern or retention.
func (s *Service) UpdateArchive(ctx context.Context, in ArchiveInput) (ArchiveInfo, error) {
	s.mu.Lock()
	a, err := s.findArchive(in.Caller, in.Name)
	if err != nil {
		s.mu.Unlock()
		return ArchiveInfo{}, err
	}
	rec := a.rec
	next := &archive{pattern: a.pattern}
	if err := applyArchive(next, &rec, in); err != nil {
		s.mu.Unlock()
		return ArchiveInfo{}, err
	}
	a.rec, a.pattern = rec, next.pattern
	done := s.store.Submit(archiveChange(rec))
	info := a.info()
	s.mu.Unlock()
	return info, commit(done)
}

// DeleteArchive deletes an archive and its events.
func (s *Service) DeleteArchive(ctx context.Context, c Caller, name string) error {
	s.mu.Lock()
	a, err := s.findArchive(c, name)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	delete(s.archives, archiveKey{c.Account, c.Region, name})
	if b := s.buses[busKey{c.Account, c.Region, a.rec.Bus}]; b != nil {
		b.archives = slices.DeleteFunc(b.archives, func(x *archive) bool { return x == a })
	}
	changes := []store.Change{store.DeleteRecord{Kind: RecordArchive, Key: a.rec.key()}}
	s.mu.Unlock()
	recs, err := s.store.LoadRecords(ctx, a.rec.eventsKind())
	if err != nil {
		return fmt.Errorf("bus: delete archive: %w", err)
	}
	for _, r := range recs {
		changes = append(changes, store.DeleteRecord{Kind: r.Kind, Key: r.Key})
	}
	return s.store.Apply(ctx, changes...)
}

// ListArchivesInput pages through archives.
type ListArchivesInput struct {
	Caller
	NamePrefix     string
	EventSourceArn string
	State          string
	Limit          int
	NextToken      string
}

// ListArchives lists archives by name.
func (s *Service) ListArchives(_ context.Context, in ListArchivesInput) ([]ArchiveInfo, string, error) {
	s.mu.RLock()
	var all []ArchiveInfo
	for k, a := range s.archives {
		if k.account != in.Account || k.region != in.Region || !strings.HasPrefix(k.name, in.NamePrefix) {
			continue
		}
		info := a.info()
		if (in.EventSourceArn == "" || in.EventSourceArn == info.EventSourceArn) && (in.State == "" || in.State == info.State) {
			all = append(all, info)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b ArchiveInfo) int { return strings.Compare(a.Name, b.Name) })
	return page(all, in.Limit, in.NextToken, func(a ArchiveInfo) string { return a.Name })
}

// archiveChanges returns the records that archive an event on a bus: one
// per archive whose pattern matches. Callers hold s.mu.
func (s *Service) archiveChanges(b *eventBus, id string, event []byte, at time.Time, changes []store.Change) []store.Change {
	for _, a := range b.archives {
		if a.pattern != nil {
			if ok, err := a.pattern.MatchJSON(event); err != nil || !ok {
				continue
			}
		}
		a.count.Add(1)
		a.size.Add(int64(len(event)))
		data := encodeArchived(s.clock.Now(), event)
		changes = append(changes, store.PutRecord{Record: store.Record{Kind: a.rec.eventsKind(), Key: archivedKey(at, id), Data: data}})
	}
	return changes
}

// An archived event's record holds the time it was archived (retention runs
// from there, as on AWS) and the event: "<unix ms>\n<event JSON>". The key
// orders records by the event's own time, which replay windows select on.
func encodeArchived(archivedAt time.Time, event []byte) []byte {
	return append(strconv.AppendInt(nil, archivedAt.UnixMilli(), 10), append([]byte{'\n'}, event...)...)
}

// decodeArchived splits a record's data. Records written without the prefix
// (an event JSON starts with '{') have no known archive time: archivedAt is
// -1 and they never expire.
func decodeArchived(data []byte) (archivedAt int64, event []byte) {
	i := bytes.IndexByte(data, '\n')
	if i <= 0 || data[0] == '{' {
		return -1, data
	}
	n, err := strconv.ParseInt(string(data[:i]), 10, 64)
	if err != nil {
		return -1, data
	}
	return n, data[i+1:]
}

// expired reports whether an event archived at archivedAt (Unix ms; -1 for
// unknown) is past the archive's retention at now. RetentionDays 0 keeps
// events indefinitely.
func (r archiveRecord) expired(archivedAt int64, now time.Time) bool {
	if r.RetentionDays <= 0 || archivedAt < 0 {
		return false
	}
	return now.Sub(time.UnixMilli(archivedAt)) >= time.Duration(r.RetentionDays)*24*time.Hour
}

// purgeExpired deletes an archive's expired events from the store and
// returns the live ones (in key order) with their archive-time prefix
// removed.
func (s *Service) purgeExpired(ctx context.Context, rec archiveRecord, events []store.Record) ([]store.Record, error) {
	now := s.clock.Now()
	var gone []store.Change
	live := events[:0]
	for _, e := range events {
		at, ev := decodeArchived(e.Data)
		if rec.expired(at, now) {
			gone = append(gone, store.DeleteRecord{Kind: e.Kind, Key: e.Key})
			continue
		}
		e.Data = ev
		live = append(live, e)
	}
	if len(gone) > 0 {
		if err := s.store.Apply(ctx, gone...); err != nil {
			return nil, err
		}
	}
	return live, nil
}

func archivedKey(at time.Time, id string) string { return fmt.Sprintf("%016d/%s", at.UnixMilli(), id) }

// loadArchives loads archives and counts their events.
func (s *Service) loadArchives(ctx context.Context) error {
	recs, err := s.store.LoadRecords(ctx, RecordArchive)
	if err != nil {
		return fmt.Errorf("bus: load archives: %w", err)
	}
	for _, r := range recs {
		var rec archiveRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("bus: archive %s: %w", r.Key, err)
		}
		a := &archive{rec: rec}
		if err := applyArchive(a, &rec, ArchiveInput{EventPattern: &rec.EventPattern}); err != nil {
			return fmt.Errorf("bus: archive %s: %w", r.Key, err)
		}
		events, err := s.store.LoadRecords(ctx, rec.eventsKind())
		if err != nil {
			return fmt.Errorf("bus: archive %s: %w", r.Key, err)
		}
		if events, err = s.purgeExpired(ctx, rec, events); err != nil {
			return fmt.Errorf("bus: archive %s: %w", r.Key, err)
		}
		for _, e := range events {
			a.count.Add(1)
			a.size.Add(int64(len(e.Data)))
		}
		s.archives[archiveKey{rec.Account, rec.Region, rec.Name}] = a
		if b := s.busLocked(Caller{rec.Account, rec.Region}, rec.Bus, true); b != nil {
			b.archives = append(b.archives, a)
		}
	}
	return nil
}
