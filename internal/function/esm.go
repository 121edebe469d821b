package function

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordMapping is the store record kind of event source mappings.
const RecordMapping = "lambda-esm"

// Event source mapping states, as AWS reports them.
const (
	StateCreating  = "Creating"
	StateEnabling  = "Enabling"
	StateEnabled   = "Enabled"
	StateDisabling = "Disabling"
	StateDisabled  = "Disabled"
	StateUpdating  = "Updating"
	StateDeleting  = "Deleting"
)

// ReportBatchItemFailures is the function response type of partial batch
// responses.
const ReportBatchItemFailures = "ReportBatchItemFailures"

// Limits of SQS event source mappings, as AWS has them.
const (
	defaultBatchSize = 10
	maxBatchSize     = 10000
	maxFIFOBatchSize = 10
	maxBatchWindow   = 300
	minConcurrency   = 2
	maxConcurrency   = 1000
)

// Mapping is an event source mapping from an SQS queue to a function.
type Mapping struct {
	UUID                  string    `json:"uuid"`
	Account               string    `json:"account"`
	Region                string    `json:"region"`
	EventSourceArn        string    `json:"eventSourceArn"`
	FunctionName          string    `json:"functionName"`        // the function's name
	Qualifier             string    `json:"qualifier,omitempty"` // version or alias, if one was named
	BatchSize             int       `json:"batchSize"`
	BatchingWindow        int       `json:"batchingWindow"` // seconds
	FunctionResponseTypes []string  `json:"functionResponseTypes,omitempty"`
	Filters               []string  `json:"filters,omitempty"` // patterns
	FilterCriteriaGiven   bool      `json:"filterCriteriaGiven,omitempty"`
	MaximumConcurrency    *int      `json:"maximumConcurrency,omitempty"`
	Enabled               bool      `json:"enabled"`
	LastModified          time.Time `json:"lastModified"`
	// State is what AWS reports: the stored state is Enabled or Disabled;
	// Creating, Enabling, Disabling and Updating are reported until the
	// poller has caught up; Deleting by DeleteEventSourceMapping.
	State string `json:"-"`
}

// FunctionArn is the mapping's function ARN, qualified if it was given so.
func (m *Mapping) FunctionArn() string {
	a := functionARN(m.Region, m.Account, m.FunctionName)
	if m.Qualifier != "" {
		return a + ":" + m.Qualifier
	}
	return a
}

// ARN is the mapping's own ARN.
func (m *Mapping) ARN() string {
	return arn.ARN{Partition: arn.Partition(m.Region), Service: "lambda", Region: m.Region, Account: m.Account, Resource: "event-source-mapping:" + m.UUID}.String()
}

func (m *Mapping) reportBatchItemFailures() bool {
	return slices.Contains(m.FunctionResponseTypes, ReportBatchItemFailures)
}

// MappingInput is the input of Create- and UpdateEventSourceMapping; nil
// leaves a field at its default (Create) or unchanged (Update).
type MappingInput struct {
	UUID                  string // Update
	EventSourceArn        string // Create
	FunctionName          *string
	Enabled               *bool
	BatchSize             *int
	BatchingWindow        *int
	FunctionResponseTypes *[]string
	Filters               *[]string // FilterCriteria.Filters[].Pattern; nil: not given
	MaximumConcurrency    *int
	ScalingGiven          bool // ScalingConfig given (an empty one removes the limit)
	StartingPosition      string
	HasDestination        bool // DestinationConfig given: not supported for SQS
}

// MappingsConfig holds the dependencies of Mappings.
type MappingsConfig struct {
	Functions *Service
	Queues    *queue.Service
	Store     store.Store
	Clock     clock.Clock
	Logger    *slog.Logger
}

// Mappings holds the event source mappings and runs a poller per enabled
// mapping.
type Mappings struct {
	cfg   MappingsConfig
	fn    *Service
	q     *queue.Service
	store store.Store
	clock clock.Clock
	log   *slog.Logger

	mu       sync.Mutex // guards mappings, pollers, stopped
	mappings map[string]*Mapping
	pollers  map[string]*poller
	stopped  bool
	wg       sync.WaitGroup // pollers being stopped or restarted
}

// NewMappings builds the event source mappings. Call Start before use.
func NewMappings(cfg MappingsConfig) *Mappings {
	return &Mappings{
		cfg: cfg, fn: cfg.Functions, q: cfg.Queues, store: cfg.Store,
		clock:    cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		mappings: map[string]*Mapping{},
		pollers:  map[string]*poller{},
	}
}

// Start loads the mappings and starts the pollers of enabled ones.
func (ms *Mappings) Start(ctx context.Context) error {
	recs, err := ms.store.LoadRecords(ctx, RecordMapping)
	if err != nil {
		return fmt.Errorf("function: load event source mappings: %w", err)
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	for _, r := range recs {
		var m Mapping
		if err := json.Unmarshal(r.Data, &m); err != nil {
			return fmt.Errorf("function: event source mapping %s: %w", r.Key, err)
		}
		m.State = StateDisabled
		ms.mappings[m.UUID] = &m
		if m.Enabled {
			m.State = StateEnabling
			ms.startLocked(&m)
		}
	}
	return nil
}

// Stop stops every poller and waits for the batches in flight. Safe without
// Start and more than once.
func (ms *Mappings) Stop() {
	ms.mu.Lock()
	ms.stopped = true
	pollers := make([]*poller, 0, len(ms.pollers))
	for id, p := range ms.pollers {
		pollers = append(pollers, p)
		delete(ms.pollers, id)
	}
	ms.mu.Unlock()
	for _, p := range pollers {
		p.stop()
	}
	ms.wg.Wait()
}

func putMapping(m *Mapping) store.Change {
	b, _ := json.Marshal(m)
	return store.PutRecord{Record: store.Record{Kind: RecordMapping, Key: m.UUID, Data: b}}
}

func mappingNotFound() error {
	return errorf(CodeResourceNotFound, "The resource you requested does not exist.")
}

// CreateEventSourceMapping creates a mapping from an SQS queue.
func (ms *Mappings) CreateEventSourceMapping(ctx context.Context, c Caller, in MappingInput) (Mapping, error) {
	m := Mapping{Account: c.Account, Region: c.Region, EventSourceArn: in.EventSourceArn, BatchSize: defaultBatchSize, Enabled: true}
	if err := ms.checkSource(c, in); err != nil {
		return Mapping{}, err
	}
	if err := ms.setFunction(c, &m, in.FunctionName); err != nil {
		return Mapping{}, err
	}
	if err := ms.apply(&m, in); err != nil {
		return Mapping{}, err
	}
	m.UUID, m.LastModified = ms.fn.ids.UUID(), ms.clock.Now()
	ms.mu.Lock()
	defer ms.mu.Unlock()
	for _, o := range ms.mappings {
		if o.EventSourceArn == m.EventSourceArn && o.FunctionArn() == m.FunctionArn() {
			return Mapping{}, errorf(CodeResourceConflict, "An event source mapping with SQS arn (\" %s \") and function (\" %s \") already exists. Please update or delete the existing mapping with UUID %s", m.EventSourceArn, m.FunctionName, o.UUID)
		}
	}
	if err := ms.store.Apply(ctx, putMapping(&m)); err != nil {
		return Mapping{}, err
	}
	ms.mappings[m.UUID] = &m
	out := m
	if m.Enabled {
		out.State = StateCreating
		m.State = StateCreating
		ms.startLocked(&m)
	} else {
		m.State, out.State = StateDisabled, StateDisabled
	}
	return out, nil
}

// checkSource applies AWS's checks of a new mapping's event source.
func (ms *Mappings) checkSource(c Caller, in MappingInput) error {
	a, err := arn.Parse(in.EventSourceArn)
	if in.EventSourceArn == "" || err != nil {
		return invalidParameter("Unrecognized event source.")
	}
	if a.Service != "sqs" {
		return invalidParameter("fogbank supports event source mappings for SQS queues only; %s is not supported yet.", in.EventSourceArn)
	}
	if in.HasDestination {
		return invalidParameter("Unsupported DestinationConfig parameter for given event source mapping type.")
	}
	if in.StartingPosition != "" {
		return invalidParameter("Unsupported starting position for arn type: %s", in.EventSourceArn)
	}
	if a.Account != c.Account || a.Region != c.Region || !ms.q.QueueExists(in.EventSourceArn) {
		return invalidParameter("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
	}
	return nil
}

// setFunction resolves FunctionName (a name or ARN, possibly qualified).
func (ms *Mappings) setFunction(c Caller, m *Mapping, name *string) error {
	if name == nil || *name == "" {
		return invalidParameter("Function does not exist")
	}
	r, err := parseName(c, *name, "")
	if err != nil {
		return err
	}
	ms.fn.mu.RLock()
	_, err = ms.fn.lookup(c, r)
	ms.fn.mu.RUnlock()
	if err != nil {
		return invalidParameter("Function does not exist")
	}
	m.FunctionName, m.Qualifier = r.name, r.qualifier
	return nil
}

// apply validates and applies the input's settings to m.
func (ms *Mappings) apply(m *Mapping, in MappingInput) error {
	if err := validateMappingRanges(in); err != nil {
		return err
	}
	m.BatchSize = cmpPtr(in.BatchSize, m.BatchSize)
	m.BatchingWindow = cmpPtr(in.BatchingWindow, m.BatchingWindow)
	m.Enabled = cmpPtr(in.Enabled, m.Enabled)
	if in.FunctionResponseTypes != nil {
		m.FunctionResponseTypes = slices.Clone(*in.FunctionResponseTypes)
	}
	if in.ScalingGiven {
		m.MaximumConcurrency = in.MaximumConcurrency
	}
	if in.Filters != nil {
		for _, f := range *in.Filters {
			if _, err := pattern.Compile([]byte(f)); err != nil {
				return invalidParameter("Invalid filter pattern definition.")
			}
		}
		m.Filters, m.FilterCriteriaGiven = slices.Clone(*in.Filters), true
	}
	fifo := strings.HasSuffix(m.EventSourceArn, ".fifo")
	switch {
	case fifo && m.BatchSize > maxFIFOBatchSize:
		return invalidParameter("Batch size for SQS FIFO queues must be between 1 and 10")
	case fifo && m.BatchingWindow > 0:
		return invalidParameter("Batching window is not supported for FIFO queues")
	case m.BatchSize > defaultBatchSize && m.BatchingWindow < 1:
		return invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
	}
	return nil
}

func cmpPtr[T any](v *T, def T) T {
	if v != nil {
		return *v
	}
	return def
}

func validateMappingRanges(in MappingInput) error {
	switch b, w, mc := in.BatchSize, in.BatchingWindow, in.MaximumConcurrency; {
	case b != nil && *b < 1:
		return constraint(*b, "batchSize", "Member must have value greater than or equal to 1")
	case b != nil && *b > maxBatchSize:
		return constraint(*b, "batchSize", "Member must have value less than or equal to 10000")
	case w != nil && *w < 0:
		return constraint(*w, "maximumBatchingWindowInSeconds", "Member must have value greater than or equal to 0")
	case w != nil && *w > maxBatchWindow:
		return constraint(*w, "maximumBatchingWindowInSeconds", "Member must have value less than or equal to 300")
	case mc != nil && *mc < minConcurrency:
		return constraint(*mc, "scalingConfig.maximumConcurrency", "Member must have value greater than or equal to 2")
	case mc != nil && *mc > maxConcurrency:
		return constraint(*mc, "scalingConfig.maximumConcurrency", "Member must have value less than or equal to 1000")
	}
	if t := in.FunctionResponseTypes; t != nil {
		for _, v := range *t {
			if v != ReportBatchItemFailures {
				return constraint("["+strings.Join(*t, ", ")+"]", "functionResponseTypes", "Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]")
			}
		}
	}
	return nil
}

// GetEventSourceMapping returns one mapping.
func (ms *Mappings) GetEventSourceMapping(_ context.Context, c Caller, uuid string) (Mapping, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m, ok := ms.mappings[uuid]
	if !ok || m.Account != c.Account || m.Region != c.Region {
		return Mapping{}, mappingNotFound()
	}
	return *m, nil
}

// UpdateEventSourceMapping changes a mapping's settings, function or state.
func (ms *Mappings) UpdateEventSourceMapping(ctx context.Context, c Caller, in MappingInput) (Mapping, error) {
	cur, err := ms.GetEventSourceMapping(ctx, c, in.UUID)
	if err != nil {
		return Mapping{}, err
	}
	m := cur
	m.FunctionResponseTypes, m.Filters = slices.Clone(cur.FunctionResponseTypes), slices.Clone(cur.Filters)
	if in.FunctionName != nil {
		if err := ms.setFunction(c, &m, in.FunctionName); err != nil {
			return Mapping{}, err
		}
	}
	if err := ms.apply(&m, in); err != nil {
		return Mapping{}, err
	}
	m.LastModified = ms.clock.Now()
	if err := ms.store.Apply(ctx, putMapping(&m)); err != nil {
		return Mapping{}, err
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if _, ok := ms.mappings[m.UUID]; !ok {
		return Mapping{}, mappingNotFound()
	}
	switch {
	case m.Enabled && !cur.Enabled:
		m.State = StateEnabling
	case !m.Enabled && cur.Enabled:
		m.State = StateDisabling
	case m.Enabled:
		m.State = StateUpdating
	default:
		m.State = StateDisabled
	}
	ms.mappings[m.UUID] = &m
	out := m
	ms.restartLocked(&m)
	return out, nil
}

// DeleteEventSourceMapping deletes a mapping; its poller stops.
func (ms *Mappings) DeleteEventSourceMapping(ctx context.Context, c Caller, uuid string) (Mapping, error) {
	m, err := ms.GetEventSourceMapping(ctx, c, uuid)
	if err != nil {
		return Mapping{}, err
	}
	if err := ms.store.Apply(ctx, store.DeleteRecord{Kind: RecordMapping, Key: uuid}); err != nil {
		return Mapping{}, err
	}
	ms.mu.Lock()
	delete(ms.mappings, uuid)
	p := ms.pollers[uuid]
	delete(ms.pollers, uuid)
	ms.mu.Unlock()
	if p != nil {
		ms.wg.Go(p.stop) // AWS answers while the mapping is still Deleting
	}
	m.State = StateDeleting
	return m, nil
}

// ListMappingsInput filters ListEventSourceMappings.
type ListMappingsInput struct {
	EventSourceArn string
	FunctionName   string
	Marker         string
	MaxItems       int
}

// ListEventSourceMappings lists the caller's mappings, by UUID.
func (ms *Mappings) ListEventSourceMappings(_ context.Context, c Caller, in ListMappingsInput) ([]Mapping, string, error) {
	if in.MaxItems < 0 || in.MaxItems > 10000 {
		return nil, "", constraint(in.MaxItems, "maxItems", "Member must have value less than or equal to 10000")
	}
	var fn ref
	if in.FunctionName != "" {
		r, err := parseName(c, in.FunctionName, "")
		if err != nil {
			return nil, "", err
		}
		fn = r
	}
	ms.mu.Lock()
	var all []Mapping
	for _, m := range ms.mappings {
		switch {
		case m.Account != c.Account || m.Region != c.Region:
		case in.EventSourceArn != "" && m.EventSourceArn != in.EventSourceArn:
		case fn.name != "" && (m.FunctionName != fn.name || (fn.qualifier != "" && m.Qualifier != fn.qualifier)):
		default:
			all = append(all, *m)
		}
	}
	ms.mu.Unlock()
	slices.SortFunc(all, func(a, b Mapping) int { return strings.Compare(a.UUID, b.UUID) })
	return page(all, in.Marker, min(cmp.Or(in.MaxItems, 100), 100))
}

// startLocked starts the mapping's poller. Callers hold ms.mu.
func (ms *Mappings) startLocked(m *Mapping) {
	if ms.stopped {
		return
	}
	p := ms.newPoller(*m)
	ms.pollers[m.UUID] = p
	go p.run()
}

// restartLocked replaces the mapping's poller after an update: the old one
// finishes its batches first. Callers hold ms.mu.
func (ms *Mappings) restartLocked(m *Mapping) {
	old := ms.pollers[m.UUID]
	delete(ms.pollers, m.UUID)
	uuid := m.UUID
	ms.wg.Go(func() {
		if old != nil {
			old.stop()
		}
		ms.mu.Lock()
		defer ms.mu.Unlock()
		cur, ok := ms.mappings[uuid]
		if !ok || cur != m {
			return // deleted or updated again meanwhile
		}
		if m.Enabled {
			ms.startLocked(m)
			return
		}
		m.State = StateDisabled
	})
}

// running marks a mapping's poller as started: a mapping Creating,
// Enabling or Updating is Enabled from now on.
func (ms *Mappings) running(uuid string, p *poller) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if m, ok := ms.mappings[uuid]; ok && ms.pollers[uuid] == p {
		m.State = StateEnabled
	}
}
