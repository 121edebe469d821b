package schema

import (
	"context"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// Discoverer states.
const (
	StateStarted = "STARTED"
	StateStopped = "STOPPED"
)

// discovererRecord is a discoverer as stored.
type discovererRecord struct {
	Account      string            `json:"account"`
	Region       string            `json:"region"`
	ID           string            `json:"id"`
	SourceArn    string            `json:"sourceArn"`
	Bus          string            `json:"bus"`
	Description  string            `json:"description,omitempty"`
	CrossAccount bool              `json:"crossAccount"`
	State        string            `json:"state"`
	Tags         map[string]string `json:"tags,omitempty"`
}

func (r discovererRecord) key() string    { return r.Account + "/" + r.Region + "/" + r.ID }
func (r discovererRecord) busKey() regKey { return regKey{r.Account, r.Region, r.Bus} }

// DiscovererInfo describes a discoverer.
type DiscovererInfo struct {
	Arn          string
	ID           string
	SourceArn    string
	Description  string
	CrossAccount bool
	State        string
	Tags         map[string]string
}

func (s *Service) discovererInfo(d *discovererRecord) DiscovererInfo {
	return DiscovererInfo{
		Arn: s.arn(Caller{d.Account, d.Region}, "discoverer/"+d.ID), ID: d.ID, SourceArn: d.SourceArn,
		Description: d.Description, CrossAccount: d.CrossAccount, State: d.State, Tags: copyTags(d.Tags),
	}
}

func discovererNotFound(id string) error {
	return notFound("Discoverer with id %s does not exist.", id)
}

// CreateDiscovererInput creates a discoverer on an event bus.
type CreateDiscovererInput struct {
	Caller
	SourceArn    string
	Description  string
	CrossAccount *bool // default true
	Tags         map[string]string
}

// CreateDiscoverer creates a started discoverer on a bus of the caller's
// account and region; its id is events-event-bus-<bus>, so a bus has at
// most one.
func (s *Service) CreateDiscoverer(ctx context.Context, in CreateDiscovererInput) (DiscovererInfo, error) {
	if err := validDescription(in.Description); err != nil {
		return DiscovererInfo{}, err
	}
	a, err := arn.Parse(in.SourceArn)
	bus, isBus := strings.CutPrefix(a.Resource, "event-bus/")
	if err != nil || a.Service != "events" || !isBus || bus == "" {
		return DiscovererInfo{}, badRequest("SourceArn %s is not an event bus ARN.", in.SourceArn)
	}
	if a.Account != in.Account || a.Region != in.Region || !s.busExists(a.Account, a.Region, bus) {
		return DiscovererInfo{}, badRequest("Event bus %s does not exist.", in.SourceArn)
	}
	d := &discovererRecord{
		Account: in.Account, Region: in.Region, ID: "events-event-bus-" + bus, SourceArn: in.SourceArn, Bus: bus,
		Description: in.Description, CrossAccount: in.CrossAccount == nil || *in.CrossAccount, State: StateStarted,
		Tags: copyTags(in.Tags),
	}
	s.mu.Lock()
	if s.discoverers[in.key(d.ID)] != nil {
		s.mu.Unlock()
		return DiscovererInfo{}, conflict("Discoverer for event bus %s already exists.", in.SourceArn)
	}
	s.discoverers[in.key(d.ID)] = d
	s.active[d.busKey()] = d
	info := s.discovererInfo(d)
	wait := s.commit(put(RecordDiscoverer, d.key(), d))
	s.mu.Unlock()
	return info, wait(ctx)
}

// DescribeDiscoverer describes a discoverer.
func (s *Service) DescribeDiscoverer(_ context.Context, c Caller, id string) (DiscovererInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d := s.discoverers[c.key(id)]
	if d == nil {
		return DiscovererInfo{}, discovererNotFound(id)
	}
	return s.discovererInfo(d), nil
}

// UpdateDiscovererInput changes a discoverer's description or CrossAccount.
type UpdateDiscovererInput struct {
	Caller
	ID           string
	Description  *string
	CrossAccount *bool
}

// UpdateDiscoverer updates a discoverer.
func (s *Service) UpdateDiscoverer(ctx context.Context, in UpdateDiscovererInput) (DiscovererInfo, error) {
	if in.Description != nil {
		if err := validDescription(*in.Description); err != nil {
			return DiscovererInfo{}, err
		}
	}
	return s.changeDiscoverer(ctx, in.Caller, in.ID, func(d *discovererRecord) {
		if in.Description != nil {
			d.Description = *in.Description
		}
		if in.CrossAccount != nil {
			d.CrossAccount = *in.CrossAccount
		}
	})
}

// StartDiscoverer starts a discoverer.
func (s *Service) StartDiscoverer(ctx context.Context, c Caller, id string) (DiscovererInfo, error) {
	return s.changeDiscoverer(ctx, c, id, func(d *discovererRecord) { d.State = StateStarted })
}

// StopDiscoverer stops a discoverer.
func (s *Service) StopDiscoverer(ctx context.Context, c Caller, id string) (DiscovererInfo, error) {
	return s.changeDiscoverer(ctx, c, id, func(d *discovererRecord) { d.State = StateStopped })
}

func (s *Service) changeDiscoverer(ctx context.Context, c Caller, id string, change func(*discovererRecord)) (DiscovererInfo, error) {
	s.mu.Lock()
	old := s.discoverers[c.key(id)]
	if old == nil {
		s.mu.Unlock()
		return DiscovererInfo{}, discovererNotFound(id)
	}
	d := *old
	d.Tags = copyTags(old.Tags)
	change(&d)
	s.discoverers[c.key(id)] = &d
	delete(s.active, d.busKey())
	if d.State == StateStarted {
		s.active[d.busKey()] = &d
	}
	info := s.discovererInfo(&d)
	wait := s.commit(put(RecordDiscoverer, d.key(), d))
	s.mu.Unlock()
	return info, wait(ctx)
}

// DeleteDiscoverer deletes a discoverer; the schemas it found stay.
func (s *Service) DeleteDiscoverer(ctx context.Context, c Caller, id string) error {
	s.mu.Lock()
	d := s.discoverers[c.key(id)]
	if d == nil {
		s.mu.Unlock()
		return discovererNotFound(id)
	}
	delete(s.discoverers, c.key(id))
	delete(s.active, d.busKey())
	wait := s.commit(store.DeleteRecord{Kind: RecordDiscoverer, Key: d.key()})
	s.mu.Unlock()
	return wait(ctx)
}

// ListDiscoverersInput lists discoverers.
type ListDiscoverersInput struct {
	Caller
	IDPrefix        string
	SourceArnPrefix string
	Page
}

// ListDiscoverers lists discoverers by id.
func (s *Service) ListDiscoverers(_ context.Context, in ListDiscoverersInput) ([]DiscovererInfo, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	for k, d := range s.discoverers {
		if k.account == in.Account && k.region == in.Region && strings.HasPrefix(d.ID, in.IDPrefix) && strings.HasPrefix(d.SourceArn, in.SourceArnPrefix) {
			ids = append(ids, d.ID)
		}
	}
	ids, next, err := page(ids, in.Page)
	if err != nil {
		return nil, "", err
	}
	out := make([]DiscovererInfo, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.discovererInfo(s.discoverers[in.key(id)]))
	}
	return out, next, nil
}

// sample is an event waiting for discovery.
type sample struct {
	account, region string // the bus's
	cross           bool   // the discoverer takes events of other accounts
	event           []byte
}

// Observing reports whether a started discoverer covers the bus.
func (s *Service) Observing(account, region, bus string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.active[regKey{account, region, bus}] != nil
}

// Observe hands discovery an event accepted on a bus. It never blocks: the
// event is dropped when no started discoverer covers the bus or the queue
// is full. It does not allocate when no discoverer covers the bus.
func (s *Service) Observe(account, region, bus string, event []byte) {
	s.mu.RLock()
	d := s.active[regKey{account, region, bus}]
	cross := d != nil && d.CrossAccount
	s.mu.RUnlock()
	if d == nil {
		return
	}
	select {
	case s.samples <- sample{account: account, region: region, cross: cross, event: event}:
	default:
		s.log.Debug("schema: discovery queue full; event not sampled", "bus", bus)
	}
}

func (s *Service) work() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case sm := <-s.samples:
			if err := s.discover(sm); err != nil {
				s.log.Warn("schema: discovery failed", "err", err)
			}
		}
	}
}

// discover merges one event into its discovered schema and writes a new
// version when the rendered document changes.
func (s *Service) discover(sm sample) error {
	source, detailType, sh, err := eventShape(sm.event)
	if err != nil {
		return nil //nolint:nilerr // events that are not EventBridge events have no schema
	}
	if !sm.cross && eventAccount(sm.event) != sm.account {
		return nil
	}
	c := Caller{sm.account, sm.region}
	name := DiscoveredName(source, detailType)
	s.mu.Lock()
	reg := s.localLocked(c, DiscoveredRegistry)
	e := reg.schemas[name]
	var known *shape
	if e != nil {
		known = e.rec.Shape
	}
	merged := merge(known, sh)
	content := renderOpenAPI(source, detailType, merged)
	if e != nil && e.latest().Content == content {
		s.mu.Unlock()
		return nil
	}
	now := millis(s.clock.Now())
	if e == nil {
		e = &schemaEntry{rec: schemaRecord{Account: c.Account, Region: c.Region, Registry: DiscoveredRegistry, Name: name, Next: 1}}
		reg.schemas[name] = e
	}
	rec := e.rec
	rec.Versions = append(append([]version(nil), rec.Versions...), version{Version: strconv.Itoa(rec.Next), Type: TypeOpenAPI3, Content: content, Created: now})
	rec.Next++
	rec.Modified, rec.Shape = now, merged
	e.rec, e.compiled = rec, nil
	wait := s.commit(put(RecordSchema, e.rec.key(), e.rec))
	s.mu.Unlock()
	return wait(context.Background())
}

func eventAccount(event []byte) string {
	v, err := DecodeJSON(event)
	if err != nil {
		return ""
	}
	m, _ := v.(map[string]any)
	a, _ := m["account"].(string)
	return a
}
