package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordReplay is the store record kind of replays.
const RecordReplay = "events-replay"

// Replay states.
const (
	ReplayStarting   = "STARTING"
	ReplayRunning    = "RUNNING"
	ReplayCancelling = "CANCELLING"
	ReplayCompleted  = "COMPLETED"
	ReplayCancelled  = "CANCELLED"
	ReplayFailed     = "FAILED"
)

// replayBatch is how many archived events one commit replays.
const replayBatch = 100

// replayRecord is a replay as stored; its progress is LastKey, the archive
// key of the last event replayed.
type replayRecord struct {
	Account      string   `json:"account"`
	Region       string   `json:"region"`
	Name         string   `json:"name"`
	Description  string   `json:"description,omitempty"`
	Archive      string   `json:"archive"`
	Destination  string   `json:"destination"`
	FilterArns   []string `json:"filterArns,omitempty"`
	Start        int64    `json:"start"` // Unix ms, the window [Start, End)
	End          int64    `json:"end"`
	State        string   `json:"state"`
	StateReason  string   `json:"stateReason,omitempty"`
	LastReplayed int64    `json:"lastReplayed,omitempty"`
	LastKey      string   `json:"lastKey,omitempty"`
	Began        int64    `json:"began"`
	Ended        int64    `json:"ended,omitempty"`
}

func (r replayRecord) key() string { return r.Account + "/" + r.Region + "/" + r.Name }

func (r replayRecord) arn() string {
	return arn.ARN{Partition: arn.Partition(r.Region), Service: "events", Region: r.Region, Account: r.Account, Resource: "replay/" + r.Name}.String()
}

type replay struct {
	rec replayRecord // guarded by Service.mu
}

// ReplayInfo describes a replay.
type ReplayInfo struct {
	Name, Arn, Description, State, StateReason string
	EventSourceArn, DestinationArn             string
	FilterArns                                 []string
	EventStart, EventEnd, LastReplayed         time.Time
	Began, Ended                               time.Time
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func (rp *replay) info() ReplayInfo {
	r := rp.rec
	src := archiveRecord{Account: r.Account, Region: r.Region, Name: r.Archive}.arn()
	return ReplayInfo{
		Name: r.Name, Arn: r.arn(), Description: r.Description, State: r.State, StateReason: r.StateReason,
		EventSourceArn: src, DestinationArn: r.Destination, FilterArns: r.FilterArns, EventStart: msTime(r.Start),
		EventEnd: msTime(r.End), LastReplayed: msTime(r.LastReplayed), Began: msTime(r.Began), Ended: msTime(r.Ended),
	}
}

// StartReplayInput starts a replay.
type StartReplayInput struct {
	Caller
	Name           string
	Description    *string
	EventSourceArn string // the archive
	EventStartTime time.Time
	EventEndTime   time.Time
	DestinationArn string // the archive's bus
	FilterArns     []string
}

// StartReplay replays an archive's events of a time window to the rules of
// its bus (those of FilterArns only, when given). It returns at once; the
// replay runs in the background.
func (s *Service) StartReplay(ctx context.Context, in StartReplayInput) (ReplayInfo, error) {
	if err := validateName(in.Name, "replayName"); err != nil {
		return ReplayInfo{}, err
	}
	if !in.EventStartTime.Before(in.EventEndTime) {
		return ReplayInfo{}, validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.")
	}
	src, err := arn.Parse(in.EventSourceArn)
	archiveName, ok := strings.CutPrefix(src.Resource, "archive/")
	if err != nil || !ok {
		return ReplayInfo{}, validation("Parameter %s is not valid. Reason: Provided Arn is not in correct format.", in.EventSourceArn)
	}
	now := s.clock.Now()
	s.mu.Lock()
	a, err := s.findArchive(in.Caller, archiveName)
	if err != nil {
		s.mu.Unlock()
		return ReplayInfo{}, err
	}
	if in.DestinationArn != busArn(a.rec.Region, a.rec.Account, a.rec.Bus) {
		s.mu.Unlock()
		return ReplayInfo{}, validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.")
	}
	k := archiveKey{in.Account, in.Region, in.Name}
	if s.replays[k] != nil {
		s.mu.Unlock()
		return ReplayInfo{}, errorf(CodeResourceAlreadyExists, "Replay %s already exists.", in.Name)
	}
	rp := &replay{rec: replayRecord{
		Account: in.Account, Region: in.Region, Name: in.Name, Archive: archiveName,
		Destination: in.DestinationArn, FilterArns: in.FilterArns, Start: in.EventStartTime.UnixMilli(), End: in.EventEndTime.UnixMilli(),
		State: ReplayStarting, Began: now.UnixMilli(),
	}}
	if in.Description != nil {
		rp.rec.Description = *in.Description
	}
	s.replays[k] = rp
	info := rp.info()
	done := s.store.Submit(replayChange(rp.rec))
	s.mu.Unlock()
	if err := commit(done); err != nil {
		return ReplayInfo{}, err
	}
	s.launch(rp)
	return info, nil
}

func replayChange(rec replayRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordReplay, Key: rec.key(), Data: b}}
}

func (s *Service) launch(rp *replay) {
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		if err := s.runReplay(rp); err != nil {
			s.log.Error("bus: replay failed", "replay", rp.rec.Name, "err", err)
			s.finishReplay(rp, ReplayFailed, err.Error())
		}
	}()
}

// runReplay replays the window from the replay's progress, one batch per
// commit (the jobs with the progress), until done, cancelled or stopped.
func (s *Service) runReplay(rp *replay) error {
	s.mu.Lock()
	rec := rp.rec
	if rec.State == ReplayStarting {
		rp.rec.State = ReplayRunning
	}
	s.mu.Unlock()
	a := archiveRecord{Account: rec.Account, Region: rec.Region, Name: rec.Archive}
	s.mu.RLock()
	if live := s.archives[archiveKey{rec.Account, rec.Region, rec.Archive}]; live != nil {
		a = live.rec // for its retention
	}
	s.mu.RUnlock()
	events, err := s.store.LoadRecords(context.Background(), a.eventsKind())
	if err != nil {
		return err
	}
	if events, err = s.purgeExpired(context.Background(), a, events); err != nil {
		return err
	}
	lo, hi := archivedKey(time.UnixMilli(rec.Start), ""), archivedKey(time.UnixMilli(rec.End), "")
	events = slices.DeleteFunc(events, func(r store.Record) bool { return r.Key < lo || r.Key >= hi || r.Key <= rec.LastKey })
	var only map[string]bool
	if len(rec.FilterArns) > 0 {
		only = map[string]bool{}
		for _, f := range rec.FilterArns {
			only[f] = true
		}
	}
	bus := busName(rec.Destination)
	c := Caller{rec.Account, rec.Region}
	for len(events) > 0 {
		select {
		case <-s.stop:
			return nil
		default:
		}
		n := min(replayBatch, len(events))
		if s.replayBatch(rp, c, bus, only, events[:n]) {
			return nil
		}
		events = events[n:]
	}
	s.finishReplay(rp, ReplayCompleted, "")
	return nil
}

// replayBatch commits the jobs of some events with the progress; it
// reports whether the replay was cancelled instead.
func (s *Service) replayBatch(rp *replay, c Caller, bus string, only map[string]bool, events []store.Record) bool {
	now := s.clock.Now()
	var jobs []delivery.Job
	for _, r := range events {
		jobs = s.route(c, bus, withReplayName(r.Data, rp.rec.Name), "", now, jobs, only)
	}
	last := events[len(events)-1].Key
	var ms int64
	_, _ = fmt.Sscanf(last, "%d/", &ms)
	s.mu.Lock()
	if rp.rec.State == ReplayCancelling {
		s.mu.Unlock()
		s.finishReplay(rp, ReplayCancelled, "")
		return true
	}
	rp.rec.LastKey, rp.rec.LastReplayed = last, ms
	change := replayChange(rp.rec)
	s.mu.Unlock()
	if err := s.accept(context.Background(), jobs, change); err != nil {
		s.log.Error("bus: replay batch", "replay", rp.rec.Name, "err", err)
	}
	return false
}

// withReplayName adds "replay-name" to an archived event, as AWS marks
// replayed events.
func withReplayName(event []byte, name string) []byte {
	e := bytes.TrimRight(event, " \n")
	out := make([]byte, 0, len(e)+len(name)+20)
	out = append(out, e[:len(e)-1]...)
	out = append(out, `,"replay-name":`...)
	q, _ := json.Marshal(name)
	out = append(out, q...)
	return append(out, '}')
}

func (s *Service) finishReplay(rp *replay, state, reason string) {
	s.mu.Lock()
	rp.rec.State, rp.rec.StateReason, rp.rec.Ended = state, reason, s.clock.Now().UnixMilli()
	done := s.store.Submit(replayChange(rp.rec))
	s.mu.Unlock()
	if err := commit(done); err != nil {
		s.log.Error("bus: replay state", "replay", rp.rec.Name, "err", err)
	}
}

// loadReplays loads replays and resumes those in progress. Callers hold
// s.mu.
func (s *Service) loadReplays(ctx context.Context) error {
	recs, err := s.store.LoadRecords(ctx, RecordReplay)
	if err != nil {
		return fmt.Errorf("bus: load replays: %w", err)
	}
	for _, r := range recs {
		var rec replayRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("bus: replay %s: %w", r.Key, err)
		}
		rp := &replay{rec: rec}
		s.replays[archiveKey{rec.Account, rec.Region, rec.Name}] = rp
		switch rec.State {
		case ReplayStarting, ReplayRunning:
			s.launch(rp)
		case ReplayCancelling:
			rp.rec.State, rp.rec.Ended = ReplayCancelled, s.clock.Now().UnixMilli()
			s.store.Submit(replayChange(rp.rec))
		}
	}
	return nil
}

func (s *Service) findReplay(c Caller, name string) (*replay, error) {
	rp := s.replays[archiveKey{c.Account, c.Region, name}]
	if rp == nil {
		return nil, errorf(CodeResourceNotFound, "Replay %s does not exist.", name)
	}
	return rp, nil
}

// DescribeReplay returns a replay with its progress.
func (s *Service) DescribeReplay(_ context.Context, c Caller, name string) (ReplayInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rp, err := s.findReplay(c, name)
	if err != nil {
		return ReplayInfo{}, err
	}
	return rp.info(), nil
}

// CancelReplay cancels a STARTING or RUNNING replay.
func (s *Service) CancelReplay(ctx context.Context, c Caller, name string) (ReplayInfo, error) {
	s.mu.Lock()
	rp, err := s.findReplay(c, name)
	if err != nil {
		s.mu.Unlock()
		return ReplayInfo{}, err
	}
	if rp.rec.State != ReplayStarting && rp.rec.State != ReplayRunning {
		s.mu.Unlock()
		return ReplayInfo{}, errorf(CodeIllegalStatus, "Replay %s is not in a valid state for this operation.", name)
	}
	rp.rec.State = ReplayCancelling
	info := rp.info()
	done := s.store.Submit(replayChange(rp.rec))
	s.mu.Unlock()
	return info, commit(done)
}

// ListReplaysInput pages through replays.
type ListReplaysInput struct {
	Caller
	NamePrefix     string
	State          string
	EventSourceArn string
	Limit          int
	NextToken      string
}

// ListReplays lists replays by name.
func (s *Service) ListReplays(_ context.Context, in ListReplaysInput) ([]ReplayInfo, string, error) {
	s.mu.RLock()
	var all []ReplayInfo
	for k, rp := range s.replays {
		if k.account != in.Account || k.region != in.Region || !strings.HasPrefix(k.name, in.NamePrefix) {
			continue
		}
		info := rp.info()
		if (in.State == "" || in.State == info.State) && (in.EventSourceArn == "" || in.EventSourceArn == info.EventSourceArn) {
			all = append(all, info)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b ReplayInfo) int { return strings.Compare(a.Name, b.Name) })
	return page(all, in.Limit, in.NextToken, func(r ReplayInfo) string { return r.Name })
}
