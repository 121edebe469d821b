package flow

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordMapRun is the store kind of Distributed Map runs.
const RecordMapRun = "sfn-map-run"

// mapRunRecord is a Distributed Map run as stored: what the engine
// reported at the last checkpoint, plus UpdateMapRun's settings.
type mapRunRecord struct {
	Arn                        string    `json:"arn"`
	ExecutionArn               string    `json:"executionArn"`
	Status                     string    `json:"status"`
	Start                      time.Time `json:"start"`
	Stop                       time.Time `json:"stop,omitzero"`
	Total                      int       `json:"total"`
	Succeeded                  int       `json:"succeeded"`
	Failed                     int       `json:"failed"`
	MaxConcurrency             int64     `json:"maxConcurrency"`
	ToleratedFailureCount      int64     `json:"toleratedFailureCount"`
	ToleratedFailurePercentage float64   `json:"toleratedFailurePercentage"`
}

func (r *mapRunRecord) change() store.Change { return put(RecordMapRun, r.Arn, r) }

// MapRun is DescribeMapRun's answer.
type MapRun struct {
	MapRunArn                  string
	ExecutionArn               string
	StateMachineArn            string
	Status                     string
	StartDate                  time.Time
	StopDate                   time.Time
	MaxConcurrency             int64
	ToleratedFailurePercentage float64
	ToleratedFailureCount      int64
	// Counts of items (each item is a child execution).
	Pending, Running, Succeeded, Failed, Total int
}

func (r *mapRunRecord) describe() MapRun {
	return MapRun{
		MapRunArn: r.Arn, ExecutionArn: r.ExecutionArn, StateMachineArn: mapRunStateMachine(r.Arn), Status: r.Status,
		StartDate: r.Start, StopDate: r.Stop, MaxConcurrency: r.MaxConcurrency, ToleratedFailurePercentage: r.ToleratedFailurePercentage,
		ToleratedFailureCount: r.ToleratedFailureCount, Pending: max(r.Total-r.Succeeded-r.Failed, 0),
		Succeeded: r.Succeeded, Failed: r.Failed, Total: r.Total,
	}
}

// mapRunStateMachine is the ARN of a map run's child state machine:
// …:mapRun:<machine>/<label>:<id> → …:stateMachine:<machine>/<label>.
func mapRunStateMachine(a string) string {
	sm := strings.Replace(a, ":mapRun:", ":stateMachine:", 1)
	if i := strings.LastIndexByte(sm, ':'); i > 0 {
		return sm[:i]
	}
	return sm
}

// mapRunChanges turns the engine's map runs into records, keeping the
// settings UpdateMapRun changed.
func (s *Service) mapRunChanges(execArn string, runs []engine.MapRun) ([]*mapRunRecord, []store.Change) {
	recs := make([]*mapRunRecord, 0, len(runs))
	changes := make([]store.Change, 0, len(runs))
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, m := range runs {
		r := &mapRunRecord{
			Arn: m.Arn, ExecutionArn: execArn, Status: m.Status, Start: m.Start, Stop: m.Stop, Total: m.Total,
			Succeeded: m.Succeeded, Failed: m.Failed, MaxConcurrency: m.MaxConcurrency, ToleratedFailureCount: m.ToleratedFailureCount,
		}
		if old := s.mapRuns[m.Arn]; old != nil {
			if *old == *r {
				continue
			}
			r.MaxConcurrency, r.ToleratedFailureCount, r.ToleratedFailurePercentage = old.MaxConcurrency, old.ToleratedFailureCount, old.ToleratedFailurePercentage
		}
		recs = append(recs, r)
		changes = append(changes, r.change())
	}
	return recs, changes
}

func checkMapRunArn(a string) error {
	p, err := arn.Parse(a)
	if err != nil || p.Service != "states" {
		return invalidArn(a)
	}
	if kind, _, _ := strings.Cut(p.Resource, ":"); kind != "mapRun" {
		return wrongResourceType(kind)
	}
	return nil
}

func mapRunNotFound(a string) *Error {
	return errorf(CodeResourceNotFound, "Resource not found: '%s'", a)
}

// DescribeMapRun describes a Distributed Map run.
func (s *Service) DescribeMapRun(_ context.Context, a string) (MapRun, error) {
	if err := checkMapRunArn(a); err != nil {
		return MapRun{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.mapRuns[a]
	if r == nil {
		return MapRun{}, mapRunNotFound(a)
	}
	return r.describe(), nil
}

// ListMapRuns lists an execution's Distributed Map runs.
func (s *Service) ListMapRuns(_ context.Context, execArn string, p Page) ([]MapRun, string, error) {
	if err := checkExecutionArn(execArn); err != nil {
		return nil, "", err
	}
	if _, err := s.executionFor(execArn); err != nil {
		return nil, "", err
	}
	s.mu.RLock()
	var all []MapRun
	for _, r := range s.mapRuns {
		if r.ExecutionArn == execArn {
			all = append(all, r.describe())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b MapRun) int { return a.StartDate.Compare(b.StartDate) })
	return paginate(all, p)
}

// UpdateMapRunInput is UpdateMapRun's request.
type UpdateMapRunInput struct {
	MapRunArn                  string
	MaxConcurrency             *int64
	ToleratedFailurePercentage *float64
	ToleratedFailureCount      *int64
}

// UpdateMapRun records a map run's new settings. fogbank runs a map run's
// items one after another, so they change what DescribeMapRun reports,
// not how a run proceeds.
func (s *Service) UpdateMapRun(ctx context.Context, in UpdateMapRunInput) error {
	if err := checkMapRunArn(in.MapRunArn); err != nil {
		return err
	}
	switch {
	case in.MaxConcurrency == nil && in.ToleratedFailurePercentage == nil && in.ToleratedFailureCount == nil:
		return validation("Must specify at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount")
	case in.MaxConcurrency != nil && *in.MaxConcurrency < 0:
		return constraint(strconv.FormatInt(*in.MaxConcurrency, 10), "maxConcurrency", "Member must have value greater than or equal to 0")
	case in.ToleratedFailureCount != nil && *in.ToleratedFailureCount < 0:
		return constraint(strconv.FormatInt(*in.ToleratedFailureCount, 10), "toleratedFailureCount", "Member must have value greater than or equal to 0")
	case in.ToleratedFailurePercentage != nil && (*in.ToleratedFailurePercentage < 0 || *in.ToleratedFailurePercentage > 100):
		return constraint(strconv.FormatFloat(*in.ToleratedFailurePercentage, 'f', -1, 64), "toleratedFailurePercentage", "Member must have value less than or equal to 100")
	}
	s.mu.Lock()
	r := s.mapRuns[in.MapRunArn]
	if r == nil {
		s.mu.Unlock()
		return mapRunNotFound(in.MapRunArn)
	}
	next := *r
	if in.MaxConcurrency != nil {
		next.MaxConcurrency = *in.MaxConcurrency
	}
	if in.ToleratedFailureCount != nil {
		next.ToleratedFailureCount = *in.ToleratedFailureCount
	}
	if in.ToleratedFailurePercentage != nil {
		next.ToleratedFailurePercentage = *in.ToleratedFailurePercentage
	}
	s.mapRuns[in.MapRunArn] = &next
	done := s.store.Submit(next.change())
	s.mu.Unlock()
	return commit(done)
}

func (s *Service) loadMapRuns(ctx context.Context) error {
	recs, err := load[mapRunRecord](ctx, s.store, RecordMapRun)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.mapRuns[r.Arn] = &r
	}
	return nil
}
