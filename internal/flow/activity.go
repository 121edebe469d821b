package flow

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/store"
)

// activityPoll is how long GetActivityTask waits for a task (AWS: 60 s).
const activityPoll = 60 * time.Second

// activity is an activity with the tasks waiting for a worker.
type activity struct {
	rec activityRecord

	mu      sync.Mutex
	pending []ActivityTask
	ready   chan struct{} // closed and replaced when a task is added
}

// activityRecord is an activity as stored.
type activityRecord struct {
	Arn     string    `json:"arn"`
	Account string    `json:"account"`
	Region  string    `json:"region"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Tags    []Tag     `json:"tags,omitempty"`
}

func (r *activityRecord) change() store.Change { return put(RecordActivity, r.Arn, r) }

// ActivityTask is what GetActivityTask hands a worker.
type ActivityTask struct {
	TaskToken string
	Input     string
}

// Activity is DescribeActivity's answer and a ListActivities entry.
type Activity struct {
	ActivityArn  string
	Name         string
	CreationDate time.Time
}

func newActivity(rec activityRecord) *activity {
	return &activity{rec: rec, ready: make(chan struct{})}
}

func isActivity(resource string) bool {
	p, err := arn.Parse(resource)
	return err == nil && p.Service == "states" && strings.HasPrefix(p.Resource, "activity:")
}

func activityArn(c Caller, name string) string {
	return arn.ARN{Partition: arn.Partition(c.Region), Service: "states", Region: c.Region, Account: c.Account, Resource: "activity:" + name}.String()
}

func checkActivityArn(a string) error {
	p, err := arn.Parse(a)
	if err != nil || p.Service != "states" {
		return invalidArn(a)
	}
	if kind, _, _ := strings.Cut(p.Resource, ":"); kind != "activity" {
		return wrongResourceType(kind)
	}
	return nil
}

// CreateActivity creates an activity; creating it again is idempotent.
func (s *Service) CreateActivity(ctx context.Context, c Caller, name string, tags []Tag) (Activity, error) {
	if err := checkName(name); err != nil {
		return Activity{}, err
	}
	if err := checkTags(tags); err != nil {
		return Activity{}, err
	}
	a := activityArn(c, name)
	s.mu.Lock()
	if act := s.activities[a]; act != nil {
		s.mu.Unlock()
		return Activity{ActivityArn: a, Name: name, CreationDate: act.rec.Created}, nil
	}
	act := newActivity(activityRecord{Arn: a, Account: c.Account, Region: c.Region, Name: name, Created: s.now(), Tags: mergeTags(nil, tags)})
	s.activities[a] = act
	done := s.store.Submit(act.rec.change())
	s.mu.Unlock()
	return Activity{ActivityArn: a, Name: name, CreationDate: act.rec.Created}, commit(done)
}

// DescribeActivity describes an activity.
func (s *Service) DescribeActivity(_ context.Context, a string) (Activity, error) {
	if err := checkActivityArn(a); err != nil {
		return Activity{}, err
	}
	s.mu.RLock()
	act := s.activities[a]
	s.mu.RUnlock()
	if act == nil {
		return Activity{}, activityNotFound(a)
	}
	return Activity{ActivityArn: a, Name: act.rec.Name, CreationDate: act.rec.Created}, nil
}

// DeleteActivity deletes an activity; a missing one is not an error.
func (s *Service) DeleteActivity(ctx context.Context, a string) error {
	if err := checkActivityArn(a); err != nil {
		return err
	}
	s.mu.Lock()
	if s.activities[a] == nil {
		s.mu.Unlock()
		return nil
	}
	delete(s.activities, a)
	done := s.store.Submit(store.DeleteRecord{Kind: RecordActivity, Key: a})
	s.mu.Unlock()
	return commit(done)
}

// ListActivities lists the caller's activities.
func (s *Service) ListActivities(_ context.Context, c Caller, p Page) ([]Activity, string, error) {
	s.mu.RLock()
	var all []Activity
	for _, act := range s.activities {
		if act.rec.Account == c.Account && act.rec.Region == c.Region {
			all = append(all, Activity{ActivityArn: act.rec.Arn, Name: act.rec.Name, CreationDate: act.rec.Created})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b Activity) int { return strings.Compare(a.ActivityArn, b.ActivityArn) })
	return paginate(all, p)
}

// GetActivityTask waits up to 60 s for a task of the activity; no task
// answers an empty ActivityTask.
func (s *Service) GetActivityTask(ctx context.Context, a, worker string) (ActivityTask, error) {
	if err := checkActivityArn(a); err != nil {
		return ActivityTask{}, err
	}
	if len(worker) > 80 {
		return ActivityTask{}, constraint(worker, "workerName", "Member must have length less than or equal to 80")
	}
	s.mu.RLock()
	act := s.activities[a]
	s.mu.RUnlock()
	if act == nil {
		return ActivityTask{}, activityNotFound(a)
	}
	timer := s.clock.NewTimer(activityPoll)
	defer timer.Stop()
	for {
		act.mu.Lock()
		if len(act.pending) > 0 {
			t := act.pending[0]
			act.pending = act.pending[1:]
			act.mu.Unlock()
			return t, nil
		}
		ready := act.ready
		act.mu.Unlock()
		select {
		case <-ready:
		case <-timer.C():
			return ActivityTask{}, nil
		case <-ctx.Done():
			return ActivityTask{}, nil
		case <-s.ctx.Done():
			return ActivityTask{}, nil
		}
	}
}

// runActivity hands a Task state's request to the activity's workers and
// waits for SendTaskSuccess/Failure with the task's token.
func (s *Service) runActivity(ctx context.Context, info ExecutionInfo, req engine.TaskRequest) (any, error) {
	s.mu.RLock()
	act := s.activities[req.Resource]
	s.mu.RUnlock()
	if act == nil {
		return nil, engine.NewTaskError("States.Runtime", "Activity does not exist: "+req.Resource)
	}
	token := req.Token
	if err := s.callbacks.register(token, info.ExecutionArn); err != nil {
		return nil, err
	}
	defer s.callbacks.closeToken(token)
	act.mu.Lock()
	act.pending = append(act.pending, ActivityTask{TaskToken: token, Input: encodeJSON(req.Input)})
	close(act.ready)
	act.ready = make(chan struct{})
	act.mu.Unlock()
	defer act.drop(token)
	return s.Wait(ctx, token, time.Duration(req.HeartbeatSeconds)*time.Second)
}

// drop removes a task no worker took.
func (act *activity) drop(token string) {
	act.mu.Lock()
	defer act.mu.Unlock()
	act.pending = slices.DeleteFunc(act.pending, func(t ActivityTask) bool { return t.TaskToken == token })
}

func (s *Service) loadActivities(ctx context.Context) error {
	recs, err := load[activityRecord](ctx, s.store, RecordActivity)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.activities[r.Arn] = newActivity(r)
	}
	return nil
}

func encodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}
