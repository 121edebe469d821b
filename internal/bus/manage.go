package bus

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

var busNamePattern = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]+$`)

// BusInfo describes a bus.
type BusInfo struct {
	Name          string
	Arn           string
	Description   string
	DeadLetterArn string
	Policy        string
	Created       time.Time
	Modified      time.Time
}

func (b *eventBus) info() BusInfo {
	r := b.rec
	return BusInfo{
		Name: r.Name, Arn: r.arn(), Description: r.Description, DeadLetterArn: r.DeadLetterArn, Policy: r.Policy,
		Created: time.UnixMilli(r.Created).UTC(), Modified: time.UnixMilli(r.Modified).UTC(),
	}
}

// CreateEventBusInput creates a custom bus.
type CreateEventBusInput struct {
	Caller
	Name          string
	Description   *string
	DeadLetterArn *string
	Tags          map[string]string
}

// CreateEventBus creates a custom bus and returns it.
func (s *Service) CreateEventBus(ctx context.Context, in CreateEventBusInput) (BusInfo, error) {
	if err := validateBusName(in.Name); err != nil {
		return BusInfo{}, err
	}
	if in.Description != nil && len(*in.Description) > 512 {
		return BusInfo{}, constraint(*in.Description, "description", "Member must have length less than or equal to 512")
	}
	if err := validateTags(in.Tags); err != nil {
		return BusInfo{}, err
	}
	s.mu.Lock()
	if in.Name == DefaultBus || s.buses[busKey{in.Account, in.Region, in.Name}] != nil {
		s.mu.Unlock()
		return BusInfo{}, errorf(CodeResourceAlreadyExists, "Event bus %s already exists.", in.Name)
	}
	now := s.clock.Now().UnixMilli()
	rec := busRecord{Account: in.Account, Region: in.Region, Name: in.Name, Tags: in.Tags, Created: now, Modified: now}
	if in.Description != nil {
		rec.Description = *in.Description
	}
	if in.DeadLetterArn != nil {
		rec.DeadLetterArn = *in.DeadLetterArn
	}
	b := newBus(rec)
	s.buses[busKey{in.Account, in.Region, in.Name}] = b
	info := b.info()
	done := s.store.Submit(busRecordChange(rec))
	s.mu.Unlock()
	return info, commit(done)
}

func validateBusName(name string) error {
	switch {
	case name == "":
		return constraint(name, "name", "Member must have length greater than or equal to 1")
	case len(name) > 256:
		return constraint(name, "name", "Member must have length less than or equal to 256")
	case !busNamePattern.MatchString(name):
		return constraint(name, "name", "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+")
	case strings.Contains(name, "/"):
		return validation("Event bus name must not contain '/'.")
	}
	return nil
}

// DescribeEventBus returns a bus by name or ARN ("" is the default bus).
func (s *Service) DescribeEventBus(_ context.Context, c Caller, nameOrArn string) (BusInfo, error) {
	b, err := s.readBus(c, nameOrArn)
	if err != nil {
		return BusInfo{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return b.info(), nil
}

// UpdateEventBusInput changes a bus's settings.
type UpdateEventBusInput struct {
	Caller
	Name          string
	Description   *string
	DeadLetterArn *string
}

// UpdateEventBus updates a bus.
func (s *Service) UpdateEventBus(ctx context.Context, in UpdateEventBusInput) (BusInfo, error) {
	if _, err := s.readBus(in.Caller, in.Name); err != nil {
		return BusInfo{}, err
	}
	s.mu.Lock()
	b := s.busLocked(in.Caller, in.Name, true)
	if b == nil {
		s.mu.Unlock()
		return BusInfo{}, busNotFound(busName(in.Name))
	}
	if in.Description != nil {
		b.rec.Description = *in.Description
	}
	if in.DeadLetterArn != nil {
		b.rec.DeadLetterArn = *in.DeadLetterArn
	}
	b.rec.Modified = s.clock.Now().UnixMilli()
	info := b.info()
	done := s.store.Submit(busRecordChange(b.rec))
	s.mu.Unlock()
	return info, commit(done)
}

// DeleteEventBus deletes a custom bus and its rules. Deleting a bus that
// does not exist succeeds, as in AWS.
func (s *Service) DeleteEventBus(ctx context.Context, c Caller, name string) error {
	if busName(name) == DefaultBus {
		return validation("Cannot delete event bus default.")
	}
	s.mu.Lock()
	k := busKey{c.Account, c.Region, busName(name)}
	b := s.buses[k]
	if b == nil {
		s.mu.Unlock()
		return nil
	}
	delete(s.buses, k)
	changes := []store.Change{store.DeleteRecord{Kind: RecordBus, Key: c.Account + "/" + c.Region + "/" + b.rec.Name}}
	for _, r := range b.rules {
		changes = append(changes, store.DeleteRecord{Kind: RecordRule, Key: ruleKey(r.rec)})
	}
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return commit(done)
}

// ListEventBusesInput pages through buses.
type ListEventBusesInput struct {
	Caller
	NamePrefix string
	Limit      int
	NextToken  string
}

// ListEventBuses lists the caller's buses by name, the default bus included.
func (s *Service) ListEventBuses(ctx context.Context, in ListEventBusesInput) ([]BusInfo, string, error) {
	if _, err := s.readBus(in.Caller, DefaultBus); err != nil {
		return nil, "", err
	}
	s.mu.RLock()
	var all []BusInfo
	for k, b := range s.buses {
		if k.account == in.Account && k.region == in.Region && strings.HasPrefix(k.name, in.NamePrefix) {
			all = append(all, b.info())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b BusInfo) int { return strings.Compare(a.Name, b.Name) })
	return page(all, in.Limit, in.NextToken, func(b BusInfo) string { return b.Name })
}

// page cuts one page from items sorted by key; the token is the last key.
func page[T any](items []T, limit int, token string, key func(T) string) ([]T, string, error) { //nolint:unparam // callers return the error of token validation, kept for when tokens are checked
	start := 0
	if token != "" {
		start = len(items)
		for i, it := range items {
			if key(it) > token {
				start = i
				break
			}
		}
	}
	items = items[start:]
	if limit <= 0 || limit >= len(items) {
		return items, "", nil
	}
	return items[:limit], key(items[limit-1]), nil
}

func validateTags(tags map[string]string) error {
	for k, v := range tags {
		if k == "" || len(k) > 128 {
			return constraint(k, "tags.member.key", "Member must have length less than or equal to 128")
		}
		if len(v) > 256 {
			return constraint(v, "tags.member.value", "Member must have length less than or equal to 256")
		}
	}
	return nil
}

// tagged finds the tags of a bus or rule by ARN and the change that stores
// them after modification. Callers hold s.mu for writing.
func (s *Service) tagged(c Caller, resourceArn string) (*map[string]string, func() store.Change, error) {
	for _, b := range s.buses {
		if b.rec.Account != c.Account || b.rec.Region != c.Region {
			continue
		}
		if b.rec.arn() == resourceArn {
			return &b.rec.Tags, func() store.Change { return busRecordChange(b.rec) }, nil
		}
		for _, r := range b.rules {
			if r.rec.Arn == resourceArn {
				return &r.rec.Tags, func() store.Change { return ruleRecordChange(r.rec) }, nil
			}
		}
	}
	if resourceArn == busArn(c.Region, c.Account, DefaultBus) {
		b := s.busLocked(c, DefaultBus, true)
		return &b.rec.Tags, func() store.Change { return busRecordChange(b.rec) }, nil
	}
	return nil, nil, errorf(CodeResourceNotFound, "Resource %s does not exist.", resourceArn)
}

// TagResource adds tags to a bus or rule.
func (s *Service) TagResource(ctx context.Context, c Caller, resourceArn string, tags map[string]string) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	s.mu.Lock()
	t, rec, err := s.tagged(c, resourceArn)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if *t == nil {
		*t = map[string]string{}
	}
	maps.Copy(*t, tags)
	done := s.store.Submit(rec())
	s.mu.Unlock()
	return commit(done)
}

// UntagResource removes tags from a bus or rule.
func (s *Service) UntagResource(ctx context.Context, c Caller, resourceArn string, keys []string) error {
	s.mu.Lock()
	t, rec, err := s.tagged(c, resourceArn)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	for _, k := range keys {
		delete(*t, k)
	}
	done := s.store.Submit(rec())
	s.mu.Unlock()
	return commit(done)
}

// ListTagsForResource returns the tags of a bus or rule.
func (s *Service) ListTagsForResource(_ context.Context, c Caller, resourceArn string) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, _, err := s.tagged(c, resourceArn)
	if err != nil {
		return nil, err
	}
	return maps.Clone(*t), nil
}
