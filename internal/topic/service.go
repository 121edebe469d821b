package topic

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// Record kinds of the SNS state.
const (
	kindTopic        = "sns-topic"
	kindSubscription = "sns-subscription"
	kindKey          = "sns-key"
)

// Caller identifies who makes a request, where, and the endpoint the client
// used (the base of the URLs SNS hands out: SigningCertURL, UnsubscribeURL).
type Caller struct {
	Account  string
	Region   string
	Endpoint string // e.g. "http://127.0.0.1:4566"
}

// Config holds the service's dependencies.
type Config struct {
	Store    store.Store
	Clock    clock.Clock
	IDs      idgen.Generator
	Logger   *slog.Logger
	Queues   *queue.Service
	Delivery *delivery.Dispatcher
	HTTP     *http.Client // for http/https subscriptions; default has a 15 s timeout
	// Functions serves lambda subscriptions; without it their deliveries
	// fail permanently into the subscription DLQ.
	Functions *function.Service
}

// Service is the SNS domain service.
type Service struct {
	store    store.Store
	clock    clock.Clock
	ids      idgen.Generator
	log      *slog.Logger
	queues   *queue.Service
	delivery *delivery.Dispatcher
	http     *http.Client
	funcs    *function.Service
	signer   *signer

	mu     sync.RWMutex
	topics map[string]*topic        // by ARN
	subs   map[string]*subscription // by ARN
}

// topic is one topic's state, guarded by Service.mu (mu guards seq and dedup).
type topic struct {
	rec  topicRecord
	subs []string // subscription ARNs in creation order

	mu    sync.Mutex
	dedup *dedupSet
}

type topicRecord struct {
	Arn     string            `json:"arn"`
	Name    string            `json:"name"`
	Account string            `json:"account"`
	Region  string            `json:"region"`
	Attrs   map[string]string `json:"attrs"`
	Tags    map[string]string `json:"tags,omitempty"`
	Seq     int64             `json:"seq,omitempty"`
	Deleted int               `json:"deletedSubs,omitempty"`
}

// subscription is one subscription's state, guarded by Service.mu.
type subscription struct {
	rec    subRecord
	filter *pattern.Pattern // nil: everything matches
	scope  pattern.Scope
}

type subRecord struct {
	Arn      string            `json:"arn"`
	TopicArn string            `json:"topicArn"`
	Protocol string            `json:"protocol"`
	Endpoint string            `json:"endpoint"`
	Owner    string            `json:"owner"`
	Attrs    map[string]string `json:"attrs"`
	Pending  bool              `json:"pending"`
	Token    string            `json:"token,omitempty"`
	Authed   bool              `json:"authed,omitempty"`
	Created  int64             `json:"created"`
}

// New builds the service. Call Start to load stored state.
func New(cfg Config) *Service {
	return &Service{
		store:    cfg.Store,
		clock:    cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		ids:      cmp.Or[idgen.Generator](cfg.IDs, idgen.Random{}),
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		queues:   cfg.Queues,
		delivery: cfg.Delivery,
		http:     cmp.Or(cfg.HTTP, &http.Client{Timeout: 15 * time.Second}),
		funcs:    cfg.Functions,
		topics:   map[string]*topic{},
		subs:     map[string]*subscription{},
	}
}

// Start loads topics, subscriptions and the signing key (creating it on the
// first start).
func (s *Service) Start(ctx context.Context) error {
	sg, err := loadSigner(ctx, s.store, s.clock.Now())
	if err != nil {
		return err
	}
	s.signer = sg
	trecs, err := s.store.LoadRecords(ctx, kindTopic)
	if err != nil {
		return fmt.Errorf("topic: load topics: %w", err)
	}
	srecs, err := s.store.LoadRecords(ctx, kindSubscription)
	if err != nil {
		return fmt.Errorf("topic: load subscriptions: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range trecs {
		var tr topicRecord
		if err := json.Unmarshal(r.Data, &tr); err != nil {
			return fmt.Errorf("topic: topic %s: %w", r.Key, err)
		}
		s.topics[tr.Arn] = &topic{rec: tr, dedup: newDedupSet()}
	}
	var subs []*subscription
	for _, r := range srecs {
		var sr subRecord
		if err := json.Unmarshal(r.Data, &sr); err != nil {
			return fmt.Errorf("topic: subscription %s: %w", r.Key, err)
		}
		sub := &subscription{rec: sr}
		sub.compile()
		subs = append(subs, sub)
	}
	if err := s.loadDedup(ctx); err != nil {
		return err
	}
	sort.Slice(subs, func(i, k int) bool { return subs[i].rec.Created < subs[k].rec.Created })
	for _, sub := range subs {
		s.subs[sub.rec.Arn] = sub
		if t := s.topics[sub.rec.TopicArn]; t != nil {
			t.subs = append(t.subs, sub.rec.Arn)
		}
	}
	return nil
}

// Stop is a no-op kept for the Start/Stop contract: deliveries belong to the
// dispatcher.
func (s *Service) Stop() {}

// compile rebuilds the cached filter policy from the attributes.
func (sub *subscription) compile() {
	sub.filter, sub.scope = nil, pattern.ScopeMessageAttributes
	if sc, err := pattern.ParseScope(sub.rec.Attrs["FilterPolicyScope"]); err == nil {
		sub.scope = sc
	}
	if fp := sub.rec.Attrs["FilterPolicy"]; fp != "" {
		if p, err := pattern.CompileFilterPolicy([]byte(fp), sub.scope); err == nil {
			sub.filter = p
		}
	}
}

func (t *topic) fifoTopic() bool { return t.rec.Attrs["FifoTopic"] == "true" }

func topicArn(region, account, name string) string {
	return arn.ARN{Partition: arn.Partition(region), Service: "sns", Region: region, Account: account, Resource: name}.String()
}

func putTopic(t *topic) store.Change {
	b, _ := json.Marshal(t.rec)
	return store.PutRecord{Record: store.Record{Kind: kindTopic, Key: t.rec.Arn, Data: b}}
}

func putSub(sub *subscription) store.Change {
	b, _ := json.Marshal(sub.rec)
	return store.PutRecord{Record: store.Record{Kind: kindSubscription, Key: sub.rec.Arn, Data: b}}
}

func commit(ch <-chan error) error {
	if err := <-ch; err != nil {
		return fmt.Errorf("topic: store: %w", err)
	}
	return nil
}

// checkArn parses an ARN parameter with AWS's messages.
func checkArn(param, s string) (arn.ARN, error) {
	if s == "" {
		return arn.ARN{}, invalidParameter(param + " Reason: no value for required parameter")
	}
	a, err := arn.Parse(s)
	if err != nil {
		n := len(splitColons(s))
		return arn.ARN{}, invalidParameter(fmt.Sprintf("%s Reason: An ARN must have at least 6 elements, not %d", param, n))
	}
	return a, nil
}

func splitColons(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == ':' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// lookupTopic finds a topic by ARN; call with s.mu held.
func (s *Service) lookupTopic(c Caller, topicArnStr string) (*topic, error) {
	a, err := checkArn("TopicArn", topicArnStr)
	if err != nil {
		return nil, err
	}
	if a.Service != "sns" {
		return nil, invalidParameter("TopicArn")
	}
	t := s.topics[topicArnStr]
	if t == nil {
		return nil, errTopicNotFound
	}
	if c.Account != "" && t.rec.Account != c.Account {
		return nil, &Error{Code: CodeAuthorizationError, Message: "User: arn:aws:iam::" + c.Account + ":root is not authorized to access this topic"}
	}
	return t, nil
}

// lookupSub finds a subscription by ARN; call with s.mu held.
func (s *Service) lookupSub(subArn string) (*subscription, error) {
	a, err := checkArn("SubscriptionArn", subArn)
	if err != nil {
		return nil, err
	}
	if a.Service != "sns" {
		return nil, invalidParameter("SubscriptionArn")
	}
	sub := s.subs[subArn]
	if sub == nil {
		return nil, errSubscriptionNotFound
	}
	return sub, nil
}
