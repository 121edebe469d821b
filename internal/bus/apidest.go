package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// DefaultInvocationRate is an API destination's invocations per second
// when none is set.
const DefaultInvocationRate = 300

// apiDestRecord is an API destination as stored.
type apiDestRecord struct {
	Account       string `json:"account"`
	Region        string `json:"region"`
	Name          string `json:"name"`
	ID            string `json:"id"`
	Description   string `json:"description,omitempty"`
	ConnectionArn string `json:"connectionArn"`
	Endpoint      string `json:"endpoint"`
	Method        string `json:"method"`
	Rate          int32  `json:"rate"`
	Created       int64  `json:"created"`
	Modified      int64  `json:"modified"`
}

func (r apiDestRecord) arn() string {
	return arn.ARN{Partition: arn.Partition(r.Region), Service: "events", Region: r.Region, Account: r.Account, Resource: "api-destination/" + r.Name + "/" + r.ID}.String()
}

// APIDestinationInfo describes an API destination.
type APIDestinationInfo struct {
	Name, Arn, Description, ConnectionArn, Endpoint, Method, State string
	Rate                                                           int32
	Created, Modified                                              time.Time
}

func (r apiDestRecord) info() APIDestinationInfo {
	return APIDestinationInfo{
		Name: r.Name, Arn: r.arn(), Description: r.Description, ConnectionArn: r.ConnectionArn, Endpoint: r.Endpoint,
		Method: r.Method, State: "ACTIVE", Rate: r.Rate, Created: msTime(r.Created), Modified: msTime(r.Modified),
	}
}

// APIDestinationInput creates or updates an API destination.
type APIDestinationInput struct {
	Caller
	Name          string
	Description   *string
	ConnectionArn *string
	Endpoint      *string
	Method        *string
	Rate          *int32
}

// CreateAPIDestination creates an API destination.
func (s *Service) CreateAPIDestination(ctx context.Context, in APIDestinationInput) (APIDestinationInfo, error) {
	if !connectionNamePattern.MatchString(in.Name) {
		return APIDestinationInfo{}, constraint(in.Name, "name", "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
	}
	if in.ConnectionArn == nil || in.Endpoint == nil || in.Method == nil {
		return APIDestinationInfo{}, validation("Parameters ConnectionArn, InvocationEndpoint and HttpMethod are required.")
	}
	now := s.clock.Now().UnixMilli()
	rec := apiDestRecord{Account: in.Account, Region: in.Region, Name: in.Name, ID: s.ids.UUID(), Rate: DefaultInvocationRate, Created: now, Modified: now}
	s.mu.Lock()
	if err := s.applyAPIDest(&rec, in); err != nil {
		s.mu.Unlock()
		return APIDestinationInfo{}, err
	}
	k := archiveKey{in.Account, in.Region, in.Name}
	if s.apiDests[k] != nil {
		s.mu.Unlock()
		return APIDestinationInfo{}, errorf(CodeResourceAlreadyExists, "An api-destination '%s' already exists.", in.Name)
	}
	s.apiDests[k] = &rec
	done := s.store.Submit(apiDestChange(rec))
	s.mu.Unlock()
	return rec.info(), commit(done)
}

// applyAPIDest validates and applies in; callers hold s.mu.
func (s *Service) applyAPIDest(rec *apiDestRecord, in APIDestinationInput) error {
	if in.Description != nil {
		rec.Description = *in.Description
	}
	if in.ConnectionArn != nil {
		if s.connectionByArn(*in.ConnectionArn) == nil {
			return errorf(CodeResourceNotFound, "Connection '%s' does not exist.", *in.ConnectionArn)
		}
		rec.ConnectionArn = *in.ConnectionArn
	}
	if in.Endpoint != nil {
		u, err := url.Parse(*in.Endpoint)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(*in.Endpoint) > 2048 {
			return validation("Parameter InvocationEndpoint is not valid. Reason: The endpoint must be a valid URL.")
		}
		rec.Endpoint = *in.Endpoint
	}
	if in.Method != nil {
		switch *in.Method {
		case "POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE":
			rec.Method = *in.Method
		default:
			return constraint(*in.Method, "httpMethod", "Member must satisfy enum value set: [POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE]")
		}
	}
	if in.Rate != nil {
		if *in.Rate < 1 {
			return constraint(fmt.Sprint(*in.Rate), "invocationRateLimitPerSecond", "Member must have value greater than or equal to 1")
		}
		rec.Rate = *in.Rate
	}
	return nil
}

func apiDestChange(rec apiDestRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordAPIDestination, Key: rec.Account + "/" + rec.Region + "/" + rec.Name, Data: b}}
}

func (s *Service) findAPIDest(c Caller, name string) (*apiDestRecord, error) {
	rec := s.apiDests[archiveKey{c.Account, c.Region, name}]
	if rec == nil {
		return nil, errorf(CodeResourceNotFound, "Failed to describe the api-destination(s). An api-destination '%s' does not exist.", name)
	}
	return rec, nil
}

// apiDestByArn finds an API destination and its connection; callers hold
// s.mu.
func (s *Service) apiDestByArn(destArn string) (*apiDestRecord, *connectionRecord) {
	a, err := arn.Parse(destArn)
	if err != nil {
		return nil, nil
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "api-destination/"), "/")
	rec := s.apiDests[archiveKey{a.Account, a.Region, name}]
	if rec == nil || rec.arn() != destArn {
		return nil, nil
	}
	return rec, s.connectionByArn(rec.ConnectionArn)
}

// DescribeAPIDestination returns an API destination.
func (s *Service) DescribeAPIDestination(_ context.Context, c Caller, name string) (APIDestinationInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec, err := s.findAPIDest(c, name)
	if err != nil {
		return APIDestinationInfo{}, err
	}
	return rec.info(), nil
}

// UpdateAPIDestination changes an API destination.
func (s *Service) UpdateAPIDestination(ctx context.Context, in APIDestinationInput) (APIDestinationInfo, error) {
	s.mu.Lock()
	cur, err := s.findAPIDest(in.Caller, in.Name)
	if err == nil {
		rec := *cur
		if err = s.applyAPIDest(&rec, in); err == nil {
			rec.Modified = s.clock.Now().UnixMilli()
			*cur = rec
		}
	}
	if err != nil {
		s.mu.Unlock()
		return APIDestinationInfo{}, err
	}
	s.limits.forget(cur.arn())
	info := cur.info()
	done := s.store.Submit(apiDestChange(*cur))
	s.mu.Unlock()
	return info, commit(done)
}

// DeleteAPIDestination deletes an API destination.
func (s *Service) DeleteAPIDestination(ctx context.Context, c Caller, name string) error {
	s.mu.Lock()
	rec, err := s.findAPIDest(c, name)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	delete(s.apiDests, archiveKey{c.Account, c.Region, name})
	s.limits.forget(rec.arn())
	done := s.store.Submit(store.DeleteRecord{Kind: RecordAPIDestination, Key: c.Account + "/" + c.Region + "/" + name})
	s.mu.Unlock()
	return commit(done)
}

// ListAPIDestinations lists API destinations by name.
func (s *Service) ListAPIDestinations(_ context.Context, c Caller, prefix, connArn string, limit int, token string) ([]APIDestinationInfo, string, error) {
	s.mu.RLock()
	var all []APIDestinationInfo
	for k, rec := range s.apiDests {
		if k.account == c.Account && k.region == c.Region && strings.HasPrefix(k.name, prefix) && (connArn == "" || rec.ConnectionArn == connArn) {
			all = append(all, rec.info())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b APIDestinationInfo) int { return strings.Compare(a.Name, b.Name) })
	return page(all, limit, token, func(x APIDestinationInfo) string { return x.Name })
}

// loadConnections loads connections and API destinations; callers hold
// s.mu.
func (s *Service) loadConnections(ctx context.Context) error {
	conns, err := s.store.LoadRecords(ctx, RecordConnection)
	if err != nil {
		return fmt.Errorf("bus: load connections: %w", err)
	}
	for _, r := range conns {
		var rec connectionRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("bus: connection %s: %w", r.Key, err)
		}
		s.connections[archiveKey{rec.Account, rec.Region, rec.Name}] = &rec
	}
	dests, err := s.store.LoadRecords(ctx, RecordAPIDestination)
	if err != nil {
		return fmt.Errorf("bus: load api destinations: %w", err)
	}
	for _, r := range dests {
		var rec apiDestRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("bus: api destination %s: %w", r.Key, err)
		}
		s.apiDests[archiveKey{rec.Account, rec.Region, rec.Name}] = &rec
	}
	return nil
}

// limiters paces invocations of each API destination: a token bucket per
// destination ARN holding up to one second of its rate.
type limiters struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// reserve takes one invocation and returns how long to wait before it.
func (l *limiters) reserve(key string, rate int32, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	r := float64(max(rate, 1))
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: r, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(r, b.tokens+now.Sub(b.last).Seconds()*r)
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / r * float64(time.Second))
}

func (l *limiters) forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}
