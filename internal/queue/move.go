package queue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Move task statuses.
const (
	TaskRunning   = "RUNNING"
	TaskCompleted = "COMPLETED"
	TaskCancelled = "CANCELLED"
	TaskFailed    = "FAILED"
)

// MoveTask is the state of a message move task, as ListMessageMoveTasks
// reports it.
type MoveTask struct {
	TaskID         string `json:"id"`
	Handle         string `json:"handle"`
	SourceArn      string `json:"src"`
	DestinationArn string `json:"dst,omitempty"`
	MaxPerSecond   *int64 `json:"rate,omitempty"`
	Status         string `json:"status"`
	Moved          int64  `json:"moved"`
	ToMove         int64  `json:"toMove"`
	StartedAt      int64  `json:"started"`
	FailureReason  string `json:"failure,omitempty"`
	sourceID       string
	cancel         chan struct{}
}

// moveTasks runs and remembers message move tasks.
type moveTasks struct {
	s     *Service
	mu    sync.Mutex
	tasks []*MoveTask // oldest first
}

func newMoveTasks(s *Service) *moveTasks { return &moveTasks{s: s} }

func (m *moveTasks) load(recs []store.MoveTask) error {
	for _, r := range recs {
		var t MoveTask
		if err := json.Unmarshal(r.Data, &t); err != nil {
			return err
		}
		t.sourceID = r.QueueID
		m.tasks = append(m.tasks, &t)
	}
	slices.SortFunc(m.tasks, func(a, b *MoveTask) int { return cmpInt(a.StartedAt, b.StartedAt) })
	for _, t := range m.tasks {
		if t.Status == TaskRunning {
			m.start(t)
		}
	}
	return nil
}

type taskHandle struct {
	TaskID    string `json:"taskId"`
	SourceArn string `json:"sourceArn"`
}

// StartMessageMoveTaskInput is the input of StartMessageMoveTask.
type StartMessageMoveTaskInput struct {
	Caller         Caller
	SourceArn      string
	DestinationArn string
	MaxPerSecond   *int64
}

// StartMessageMoveTask starts moving messages out of a dead-letter queue.
func (s *Service) StartMessageMoveTask(ctx context.Context, in StartMessageMoveTaskInput) (string, error) {
	if in.SourceArn == "" {
		return "", missingParam("SourceArn")
	}
	if r := in.MaxPerSecond; r != nil && (*r < 1 || *r > 500) {
		return "", invalidValue("MaxNumberOfMessagesPerSecond", *r, "Must be between 1 and 500.")
	}
	src := s.lookupARN(in.SourceArn)
	if src == nil {
		return "", errorf(CodeResourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
	}
	if in.DestinationArn != "" && s.lookupARN(in.DestinationArn) == nil {
		return "", errorf(CodeResourceNotFound, "The resource that you specified for the DestinationArn parameter doesn't exist.")
	}
	if !s.isDeadLetterQueue(src) {
		return "", errorf(CodeInvalidParameterValue, "Source queue must be configured as a Dead Letter Queue.")
	}
	now := s.nowMillis()
	src.mu.Lock()
	visible, _, _ := src.counts(now)
	src.mu.Unlock()
	t := &MoveTask{
		TaskID: s.ids.UUID(), SourceArn: in.SourceArn, DestinationArn: in.DestinationArn,
		MaxPerSecond: in.MaxPerSecond, Status: TaskRunning, ToMove: int64(visible),
		StartedAt: now, sourceID: src.rec.ID,
	}
	h, _ := json.Marshal(taskHandle{TaskID: t.TaskID, SourceArn: t.SourceArn})
	t.Handle = base64.StdEncoding.EncodeToString(h)
	m := s.tasks
	m.mu.Lock()
	for _, o := range m.tasks {
		if o.SourceArn == in.SourceArn && o.Status == TaskRunning {
			m.mu.Unlock()
			return "", errorf(CodeInvalidParameterValue, "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
		}
	}
	m.tasks = append(m.tasks, t)
	done := s.store.Submit(m.record(t))
	m.mu.Unlock()
	if err := commit(done); err != nil {
		return "", err
	}
	m.start(t)
	return t.Handle, nil
}

func (s *Service) isDeadLetterQueue(dlq *queue) bool {
	s.mu.RLock()
	var all []*queue
	for _, q := range s.queues[regionKey{dlq.rec.Account, dlq.rec.Region}] {
		all = append(all, q)
	}
	s.mu.RUnlock()
	for _, q := range all {
		if p := q.config().redrive; p != nil && p.DeadLetterTargetArn == dlq.arn {
			return true
		}
	}
	return false
}

// record renders a task for the store. Callers hold m.mu.
func (m *moveTasks) record(t *MoveTask) store.Change {
	b, _ := json.Marshal(t)
	return store.PutMoveTask{Task: store.MoveTask{Handle: t.Handle, QueueID: t.sourceID, Data: b}}
}

// CancelMessageMoveTask cancels a running task and reports how many messages
// it moved.
func (s *Service) CancelMessageMoveTask(ctx context.Context, c Caller, handle string) (int64, error) {
	raw, err := base64.StdEncoding.DecodeString(handle)
	var h taskHandle
	if err != nil || json.Unmarshal(raw, &h) != nil || h.TaskID == "" || h.SourceArn == "" {
		return 0, errorf(CodeInvalidParameterValue, "Value for parameter TaskHandle is invalid.")
	}
	if s.lookupARN(h.SourceArn) == nil {
		return 0, errorf(CodeResourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
	}
	m := s.tasks
	m.mu.Lock()
	i := slices.IndexFunc(m.tasks, func(t *MoveTask) bool { return t.TaskID == h.TaskID && t.Status == TaskRunning })
	if i < 0 {
		m.mu.Unlock()
		return 0, errorf(CodeResourceNotFound, "Task does not exist.")
	}
	t := m.tasks[i]
	t.Status = TaskCancelled
	close(t.cancel)
	moved := t.Moved
	done := s.store.Submit(m.record(t))
	m.mu.Unlock()
	return moved, commit(done)
}

// ListMessageMoveTasks lists the most recent tasks of a source queue, newest
// first.
func (s *Service) ListMessageMoveTasks(ctx context.Context, c Caller, sourceArn string, maxResults *int64) ([]MoveTask, error) {
	if sourceArn == "" {
		return nil, missingParam("SourceArn")
	}
	limit := int64(1)
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > 10 {
			return nil, invalidValue("MaxResults", *maxResults, "You must enter a number that's between 1 and 10.")
		}
		limit = *maxResults
	}
	if s.lookupARN(sourceArn) == nil {
		return nil, errorf(CodeResourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
	}
	m := s.tasks
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []MoveTask
	for i := len(m.tasks) - 1; i >= 0 && int64(len(out)) < limit; i-- {
		if t := m.tasks[i]; t.SourceArn == sourceArn {
			out = append(out, *t)
		}
	}
	return out, nil
}

func (m *moveTasks) start(t *MoveTask) {
	t.cancel = make(chan struct{})
	m.s.wg.Add(1)
	go func() {
		defer m.s.wg.Done()
		m.run(t)
	}()
}

// run moves messages until the task is done, cancelled or the service stops.
func (m *moveTasks) run(t *MoveTask) {
	for {
		select {
		case <-t.cancel:
			return
		case <-m.s.stop:
			return
		default:
		}
		batch := int64(100)
		if t.MaxPerSecond != nil {
			batch = *t.MaxPerSecond
		}
		n, reason := m.moveSome(t, batch)
		if m.finish(t, n, reason) {
			return
		}
		if t.MaxPerSecond != nil && !m.pause(t) {
			return
		}
	}
}

// pause waits one second between rate-limited batches.
func (m *moveTasks) pause(t *MoveTask) bool {
	timer := m.s.clock.NewTimer(time.Second)
	defer timer.Stop()
	select {
	case <-timer.C():
		return true
	case <-t.cancel:
		return false
	case <-m.s.stop:
		return false
	}
}

// finish persists progress (counted by moveSome) and reports whether the
// task has ended.
func (m *moveTasks) finish(t *MoveTask, n int64, reason string) bool {
	m.mu.Lock()
	if t.Status != TaskRunning {
		m.mu.Unlock()
		return true
	}
	switch {
	case reason != "":
		t.Status, t.FailureReason = TaskFailed, reason
	case n == 0 || t.Moved >= t.ToMove:
		t.Status = TaskCompleted
	}
	ended := t.Status != TaskRunning
	done := m.s.store.Submit(m.record(t))
	m.mu.Unlock()
	_ = commit(done) // progress is advisory; a lost update is redone after restart
	return ended
}

// moveSome moves up to n messages and returns how many it moved, or a
// failure reason.
func (m *moveTasks) moveSome(t *MoveTask, n int64) (int64, string) {
	moved := int64(0)
	for moved < n && m.progress(t) < t.ToMove {
		ok, reason := m.moveOne(t)
		if reason != "" {
			return moved, reason
		}
		if !ok {
			break
		}
		moved++
	}
	return moved, ""
}

func (m *moveTasks) progress(t *MoveTask) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return t.Moved
}

func (m *moveTasks) moveOne(t *MoveTask) (bool, string) {
	s := m.s
	s.mu.RLock()
	src := s.byARN(t.SourceArn)
	s.mu.RUnlock()
	if src == nil {
		return false, "AWS.SimpleQueueService.NonExistentQueue"
	}
	now := s.nowMillis()
	src.mu.Lock()
	msg := src.firstVisible(now)
	var dstArn string
	if msg != nil {
		dstArn = cmpOr(t.DestinationArn, msg.meta.DLQSourceArn)
	}
	src.mu.Unlock()
	if msg == nil {
		return false, ""
	}
	s.mu.RLock()
	dst := s.byARN(dstArn)
	s.mu.RUnlock()
	if dst == nil || dst == src {
		return false, "AWS.SimpleQueueService.NonExistentQueue"
	}
	unlock := lockPair(src, dst)
	if src.deleted || dst.deleted {
		unlock()
		return false, "AWS.SimpleQueueService.NonExistentQueue"
	}
	if src.msgs[msg.id] != msg || msg.state.VisibleAt > now {
		unlock()
		return true, "" // taken meanwhile; try the next one
	}
	src.remove(msg)
	changes := []store.Change{store.DeleteMessage{QueueID: src.rec.ID, ID: msg.id}}
	changes = append(changes, s.moveInto(dst, msg, "", now)...)
	moved := dst.msgs[msg.id]
	moved.meta.DLQSourceArn = ""
	moved.state.ReceiveCount, moved.state.FirstReceiveAt = 0, 0
	changes[len(changes)-1] = store.PutMessage{Message: dst.record(moved)}
	done := s.store.Submit(changes...)
	// Count the move while the destination is still locked, so the task
	// never reports fewer messages than a consumer of the destination can
	// already see. (Lock order: queues, then m.mu; nothing takes a queue
	// lock while holding m.mu.)
	m.mu.Lock()
	if t.Status == TaskRunning {
		t.Moved++
	}
	m.mu.Unlock()
	dst.notify()
	unlock()
	return commit(done) == nil, ""
}

// firstVisible returns the next message a receive would take. Callers hold
// q.mu.
func (q *queue) firstVisible(now int64) *message {
	if !q.cfg.fifo {
		if q.ready.Len() > 0 && q.ready[0].state.VisibleAt <= now {
			return q.ready[0]
		}
		return nil
	}
	var best *message
	for _, g := range q.groups {
		if len(g.msgs) > 0 && g.msgs[0].state.VisibleAt <= now && !g.locked(now) {
			if best == nil || g.msgs[0].seq < best.seq {
				best = g.msgs[0]
			}
		}
	}
	return best
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
