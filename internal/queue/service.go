package queue

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/store"
)

// Caller identifies who makes a request and where.
type Caller struct {
	Account     string
	Region      string
	AccessKeyID string
}

// QueueRef names a queue as a queue URL does: the owner account and name. The
// region is the caller's.
type QueueRef struct {
	Account string
	Name    string
}

// Config holds the service's dependencies.
type Config struct {
	Store  store.Store
	Clock  clock.Clock
	IDs    idgen.Generator
	Logger *slog.Logger
}

// Service is the SQS domain service.
type Service struct {
	store store.Store
	clock clock.Clock
	ids   idgen.Generator
	log   *slog.Logger

	mu      sync.RWMutex
	queues  map[regionKey]map[string]*queue // by (account, region), then name
	byID    map[string]*queue
	deleted map[string]int64 // "account/region/name" -> deletion time, for QueueDeletedRecently
	tasks   *moveTasks

	stop chan struct{}
	wg   sync.WaitGroup
}

type regionKey struct{ account, region string }

// New builds the service. Call Start to load stored state.
func New(cfg Config) *Service {
	return &Service{
		store:   cfg.Store,
		clock:   cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		ids:     cmp.Or[idgen.Generator](cfg.IDs, idgen.Random{}),
		log:     cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		queues:  map[regionKey]map[string]*queue{},
		byID:    map[string]*queue{},
		deleted: map[string]int64{},
		stop:    make(chan struct{}),
	}
}

// Start loads every stored queue and resumes running move tasks.
func (s *Service) Start(ctx context.Context) error {
	st, err := s.store.LoadQueues(ctx)
	if err != nil {
		return fmt.Errorf("queue: load: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rec := range st.Queues {
		q := newQueue(rec, arn.SQS(rec.Region, rec.Account, rec.Name))
		s.register(q)
	}
	for _, m := range st.Messages {
		if err := s.loadMessage(m); err != nil {
			return err
		}
	}
	for _, d := range st.Dedups {
		if q := s.byID[d.QueueID]; q != nil {
			q.dedup[d.Key] = d
		}
	}
	s.tasks = newMoveTasks(s)
	return s.tasks.load(st.MoveTasks)
}

func (s *Service) loadMessage(rec store.Message) error {
	q := s.byID[rec.QueueID]
	if q == nil {
		return nil
	}
	m := &message{id: rec.ID, seq: rec.Seq, body: rec.Body, state: rec.State, idx: -1}
	if err := json.Unmarshal(rec.Meta, &m.meta); err != nil {
		return fmt.Errorf("queue: message %s: %w", rec.ID, err)
	}
	q.add(m)
	q.rec.NextSeq = max(q.rec.NextSeq, m.seq+1)
	return nil
}

// Stop ends background work (move tasks). It is safe to call more than once
// and without Start.
func (s *Service) Stop() {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Service) register(q *queue) {
	k := regionKey{q.rec.Account, q.rec.Region}
	if s.queues[k] == nil {
		s.queues[k] = map[string]*queue{}
	}
	s.queues[k][q.rec.Name] = q
	s.byID[q.rec.ID] = q
}

func (s *Service) unregister(q *queue) {
	delete(s.queues[regionKey{q.rec.Account, q.rec.Region}], q.rec.Name)
	delete(s.byID, q.rec.ID)
}

func (s *Service) nowMillis() int64 { return s.clock.Now().UnixMilli() }

// lookup finds a queue for a caller. A queue of another account is reachable
// only when its policy grants the caller's account.
func (s *Service) lookup(c Caller, ref QueueRef) (*queue, error) {
	owner := cmp.Or(ref.Account, c.Account)
	s.mu.RLock()
	q := s.queues[regionKey{owner, c.Region}][ref.Name]
	s.mu.RUnlock()
	if q == nil {
		return nil, errQueueDoesNotExist
	}
	if owner != c.Account && !policyAllows(q.policy(), c.Account) {
		return nil, errorf(CodeAccessDenied, "Access to the resource https://sqs.%s.amazonaws.com/%s/%s is denied.", c.Region, owner, ref.Name)
	}
	return q, nil
}

// lookupARN finds a queue by ARN.
func (s *Service) lookupARN(a string) *queue {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byARN(a)
}

// byARN finds a queue by ARN. Callers hold s.mu.
func (s *Service) byARN(a string) *queue {
	parsed, err := arn.Parse(a)
	if err != nil || parsed.Service != "sqs" {
		return nil
	}
	return s.queues[regionKey{parsed.Account, parsed.Region}][parsed.Resource]
}

func (q *queue) policy() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.rec.Attributes[AttrPolicy]
}

// commit waits for submitted changes to become durable.
func commit(ch <-chan error) error {
	if err := <-ch; err != nil {
		return fmt.Errorf("queue: store: %w", err)
	}
	return nil
}

func millis(d time.Duration) int64 { return d.Milliseconds() }
