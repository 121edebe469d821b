package function

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordEventConfig is the store record kind of event invoke configs.
const RecordEventConfig = "lambda-event-config"

// Limits of an event invoke config, as AWS has them.
const (
	MaxRetryAttempts = 2
	MinEventAge      = 60
	MaxEventAge      = 21600
)

const destinationPattern = `$|kafka://([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)`

var destinationRE = regexp.MustCompile(`^(` + destinationPattern + `)$`)

// EventInvokeConfig is a function's (or one qualifier's) configuration of
// asynchronous invocation.
type EventInvokeConfig struct {
	FunctionArn          string    `json:"functionArn"` // qualified
	LastModified         time.Time `json:"lastModified"`
	MaximumRetryAttempts *int      `json:"maximumRetryAttempts,omitempty"`
	MaximumEventAge      *int      `json:"maximumEventAge,omitempty"` // seconds
	OnSuccess            string    `json:"onSuccess,omitempty"`       // destination ARN
	OnFailure            string    `json:"onFailure,omitempty"`
}

// retries is the number of retries after a function error.
func (c EventInvokeConfig) retries() int {
	if c.MaximumRetryAttempts != nil {
		return *c.MaximumRetryAttempts
	}
	return asyncAttempts - 1
}

// maxAge is how long an event is kept for attempts.
func (c EventInvokeConfig) maxAge() time.Duration {
	if c.MaximumEventAge != nil {
		return time.Duration(*c.MaximumEventAge) * time.Second
	}
	return asyncMaxAge
}

// EventInvokeConfigInput is the input of Put- and
// UpdateFunctionEventInvokeConfig; nil leaves a field unset (Put) or
// unchanged (Update).
type EventInvokeConfigInput struct {
	FunctionName         string
	Qualifier            string
	MaximumRetryAttempts *int
	MaximumEventAge      *int
	Destinations         *Destinations // nil: not given
}

// Destinations is a DestinationConfig; "" is no destination.
type Destinations struct {
	OnSuccess, OnFailure string
}

// AsyncConfig holds the dependencies of Async.
type AsyncConfig struct {
	Functions *Service
	Store     store.Store
	Clock     clock.Clock
	Jobs      Jobs
	Targets   Targets // delivers invocation records to destinations and DLQs
	Logger    *slog.Logger
}

// Async is asynchronous invocation's configuration and outcome routing:
// event invoke configs (retries, maximum event age, destinations) and
// dead-letter queues.
type Async struct {
	cfg   AsyncConfig
	fn    *Service
	store store.Store
	clock clock.Clock
	log   *slog.Logger

	mu      sync.RWMutex // guards configs; taken after Service.mu, never before
	configs map[configKey]EventInvokeConfig
}

type configKey struct {
	funcKey
	qualifier string
}

// NewAsync builds the asynchronous-invocation part of the function service.
// Call Start before use.
func NewAsync(cfg AsyncConfig) *Async {
	a := &Async{
		cfg: cfg, fn: cfg.Functions, store: cfg.Store,
		clock:   cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		log:     cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		configs: map[configKey]EventInvokeConfig{},
	}
	cfg.Functions.onDelete(a.forget)
	return a
}

// forget deletes the configs of a deleted function (qualifier "": all of
// them) or version, with the deletion. Called under Service.mu.
func (a *Async) forget(f funcKey, qualifier string) ([]store.Change, func()) {
	a.mu.RLock()
	var keys []configKey
	for k := range a.configs {
		if k.funcKey == f && (qualifier == "" || k.qualifier == qualifier) {
			keys = append(keys, k)
		}
	}
	a.mu.RUnlock()
	changes := make([]store.Change, len(keys))
	for i, k := range keys {
		changes[i] = store.DeleteRecord{Kind: RecordEventConfig, Key: k.record()}
	}
	return changes, func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, k := range keys {
			delete(a.configs, k)
		}
	}
}

// Start loads the event invoke configs.
func (a *Async) Start(ctx context.Context) error {
	recs, err := a.store.LoadRecords(ctx, RecordEventConfig)
	if err != nil {
		return fmt.Errorf("function: load event configs: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range recs {
		var c EventInvokeConfig
		if err := json.Unmarshal(r.Data, &c); err != nil {
			return fmt.Errorf("function: event config %s: %w", r.Key, err)
		}
		k, ok := keyOfQualified(c.FunctionArn)
		if !ok {
			return fmt.Errorf("function: event config %s: bad ARN %s", r.Key, c.FunctionArn)
		}
		a.configs[k] = c
	}
	return nil
}

func keyOfQualified(functionArn string) (configKey, bool) {
	p, err := arn.Parse(functionArn)
	if err != nil {
		return configKey{}, false
	}
	parts := strings.Split(p.Resource, ":")
	if len(parts) != 3 || parts[0] != "function" {
		return configKey{}, false
	}
	return configKey{funcKey{p.Account, p.Region, parts[1]}, parts[2]}, true
}

func (k configKey) record() string {
	return k.account + "/" + k.region + "/" + k.name + "/" + k.qualifier
}

func putEventConfig(k configKey, c EventInvokeConfig) store.Change {
	b, _ := json.Marshal(c)
	return store.PutRecord{Record: store.Record{Kind: RecordEventConfig, Key: k.record(), Data: b}}
}

// eventConfig is the config an invocation of the qualifier uses; the zero
// config (AWS's defaults) when there is none.
func (a *Async) eventConfig(k configKey) EventInvokeConfig {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.configs[k]
}

// resolve finds the function and qualifier a config request names. A
// missing function is AWS's "The function doesn't exist.".
func (a *Async) resolve(c Caller, name, qualifier string) (configKey, string, error) {
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return configKey{}, "", err
	}
	a.fn.mu.RLock()
	f, err := a.fn.lookup(c, r)
	a.fn.mu.RUnlock()
	if err != nil {
		if IsCode(err, CodeResourceNotFound) {
			return configKey{}, "", errorf(CodeResourceNotFound, "The function doesn't exist.")
		}
		return configKey{}, "", err
	}
	q := cmp.Or(r.qualifier, latest)
	return configKey{keyOf(&f.cfg), q}, f.cfg.ARN() + ":" + q, nil
}

// missingConfig is the error of a qualifier without a config.
func missingConfig(c Caller, name, qualifier string) error {
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return err
	}
	return errorf(CodeResourceNotFound, "The function %s:%s doesn't have an EventInvokeConfig",
		functionARN(c.Region, c.Account, r.name), cmp.Or(r.qualifier, latest))
}

// PutEventInvokeConfig replaces the qualifier's config.
func (a *Async) PutEventInvokeConfig(ctx context.Context, c Caller, in EventInvokeConfigInput) (EventInvokeConfig, error) {
	if err := a.validateConfig(c, in); err != nil {
		return EventInvokeConfig{}, err
	}
	if in.MaximumRetryAttempts == nil && in.MaximumEventAge == nil && in.Destinations == nil {
		return EventInvokeConfig{}, invalidParameter("You must specify at least one of error handling or destination setting.")
	}
	k, qualified, err := a.resolve(c, in.FunctionName, in.Qualifier)
	if err != nil {
		return EventInvokeConfig{}, err
	}
	if err := a.checkDestinations(qualified, in.Destinations); err != nil {
		return EventInvokeConfig{}, err
	}
	cfg := EventInvokeConfig{FunctionArn: qualified, LastModified: a.clock.Now(), MaximumRetryAttempts: in.MaximumRetryAttempts, MaximumEventAge: in.MaximumEventAge}
	if d := in.Destinations; d != nil {
		cfg.OnSuccess, cfg.OnFailure = d.OnSuccess, d.OnFailure
	}
	return cfg, a.save(ctx, k, cfg)
}

// UpdateEventInvokeConfig changes the fields given of an existing config.
func (a *Async) UpdateEventInvokeConfig(ctx context.Context, c Caller, in EventInvokeConfigInput) (EventInvokeConfig, error) {
	if err := a.validateConfig(c, in); err != nil {
		return EventInvokeConfig{}, err
	}
	k, qualified, err := a.resolve(c, in.FunctionName, in.Qualifier)
	if err != nil {
		return EventInvokeConfig{}, err
	}
	a.mu.RLock()
	cfg, ok := a.configs[k]
	a.mu.RUnlock()
	if !ok {
		return EventInvokeConfig{}, missingConfig(c, in.FunctionName, in.Qualifier)
	}
	if err := a.checkDestinations(qualified, in.Destinations); err != nil {
		return EventInvokeConfig{}, err
	}
	cfg.MaximumRetryAttempts = cmp.Or(in.MaximumRetryAttempts, cfg.MaximumRetryAttempts)
	cfg.MaximumEventAge = cmp.Or(in.MaximumEventAge, cfg.MaximumEventAge)
	if d := in.Destinations; d != nil {
		cfg.OnSuccess, cfg.OnFailure = d.OnSuccess, d.OnFailure
	}
	cfg.LastModified = a.clock.Now()
	return cfg, a.save(ctx, k, cfg)
}

func (a *Async) save(ctx context.Context, k configKey, cfg EventInvokeConfig) error {
	if err := a.store.Apply(ctx, putEventConfig(k, cfg)); err != nil {
		return err
	}
	a.mu.Lock()
	a.configs[k] = cfg
	a.mu.Unlock()
	return nil
}

// GetEventInvokeConfig returns the qualifier's config.
func (a *Async) GetEventInvokeConfig(_ context.Context, c Caller, name, qualifier string) (EventInvokeConfig, error) {
	k, err := a.configKeyOf(c, name, qualifier)
	if err != nil {
		return EventInvokeConfig{}, err
	}
	a.mu.RLock()
	cfg, ok := a.configs[k]
	a.mu.RUnlock()
	if !ok || !a.exists(k.funcKey) {
		return EventInvokeConfig{}, missingConfig(c, name, qualifier)
	}
	return cfg, nil
}

// exists reports whether the function exists: a deleted function's configs
// are stale until it is created again (and then replaced by Put).
func (a *Async) exists(k funcKey) bool {
	a.fn.mu.RLock()
	defer a.fn.mu.RUnlock()
	_, ok := a.fn.functions[k]
	return ok
}

// configKeyOf is the key a name and qualifier address, whether or not the
// function exists.
func (a *Async) configKeyOf(c Caller, name, qualifier string) (configKey, error) {
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return configKey{}, err
	}
	return configKey{funcKey{c.Account, c.Region, r.name}, cmp.Or(r.qualifier, latest)}, nil
}

// DeleteEventInvokeConfig removes the qualifier's config.
func (a *Async) DeleteEventInvokeConfig(ctx context.Context, c Caller, name, qualifier string) error {
	k, err := a.configKeyOf(c, name, qualifier)
	if err != nil {
		return err
	}
	a.mu.RLock()
	_, ok := a.configs[k]
	a.mu.RUnlock()
	if !ok {
		return missingConfig(c, name, qualifier)
	}
	if err := a.store.Apply(ctx, store.DeleteRecord{Kind: RecordEventConfig, Key: k.record()}); err != nil {
		return err
	}
	a.mu.Lock()
	delete(a.configs, k)
	a.mu.Unlock()
	return nil
}

// ListEventInvokeConfigs returns a page of the function's configs, ordered
// by qualified ARN. marker is the index to start at; the returned marker is
// "" on the last page.
func (a *Async) ListEventInvokeConfigs(_ context.Context, c Caller, name string, marker string, maxItems int) ([]EventInvokeConfig, string, error) {
	switch {
	case maxItems < 0:
		return nil, "", constraint(maxItems, "maxItems", "Member must have value greater than or equal to 1")
	case maxItems > 50:
		return nil, "", constraint(maxItems, "maxItems", "Member must have value less than or equal to 50")
	}
	k, _, err := a.resolve(c, name, "")
	if err != nil {
		return nil, "", err
	}
	a.mu.RLock()
	var all []EventInvokeConfig
	for ck, cfg := range a.configs {
		if ck.funcKey == k.funcKey {
			all = append(all, cfg)
		}
	}
	a.mu.RUnlock()
	slices.SortFunc(all, func(x, y EventInvokeConfig) int { return strings.Compare(x.FunctionArn, y.FunctionArn) })
	return page(all, marker, cmp.Or(maxItems, 50))
}

// page cuts one page out of items; markers are decimal offsets.
func page[T any](items []T, marker string, limit int) ([]T, string, error) {
	start := 0
	if marker != "" {
		if _, err := fmt.Sscanf(marker, "%d", &start); err != nil || start < 0 || start > len(items) {
			return nil, "", invalidParameter("Invalid marker: %s", marker)
		}
	}
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = fmt.Sprint(end)
	}
	return items[start:end], next, nil
}

func (a *Async) validateConfig(c Caller, in EventInvokeConfigInput) error {
	if _, err := parseName(c, in.FunctionName, in.Qualifier); err != nil {
		return err
	}
	switch r, age := in.MaximumRetryAttempts, in.MaximumEventAge; {
	case r != nil && *r < 0:
		return constraint(*r, "maximumRetryAttempts", "Member must have value greater than or equal to 0")
	case r != nil && *r > MaxRetryAttempts:
		return constraint(*r, "maximumRetryAttempts", "Member must have value less than or equal to 2")
	case age != nil && *age < MinEventAge:
		return constraint(*age, "maximumEventAgeInSeconds", "Member must have value greater than or equal to 60")
	case age != nil && *age > MaxEventAge:
		return constraint(*age, "maximumEventAgeInSeconds", "Member must have value less than or equal to 21600")
	}
	if d := in.Destinations; d != nil {
		for field, v := range map[string]string{"destinationConfig.onSuccess.destination": d.OnSuccess, "destinationConfig.onFailure.destination": d.OnFailure} {
			if len(v) > 350 || !destinationRE.MatchString(v) {
				return constraint(v, field, "Member must satisfy regular expression pattern: "+destinationPattern)
			}
		}
	}
	return nil
}

// checkDestinations applies AWS's checks of destination ARNs: a supported
// service, an existing other function for Lambda.
func (a *Async) checkDestinations(self string, d *Destinations) error {
	if d == nil {
		return nil
	}
	for _, dest := range []string{d.OnSuccess, d.OnFailure} {
		if dest == "" {
			continue
		}
		p, err := arn.Parse(dest)
		if err != nil || !slices.Contains([]string{"sqs", "sns", "lambda", "events"}, p.Service) {
			return invalidParameter("The provided destination config %s is invalid.", describeDestinations(d))
		}
		if p.Service != "lambda" {
			continue
		}
		r, err := parseName(Caller{Account: p.Account, Region: p.Region}, dest, "")
		if err != nil {
			return invalidParameter("The destination ARN %s is invalid.", dest)
		}
		if functionARN(p.Region, p.Account, r.name) == self[:strings.LastIndex(self, ":")] {
			return invalidParameter("You can't specify the function as a destination for itself.")
		}
		a.fn.mu.RLock()
		_, err = a.fn.lookup(Caller{Account: p.Account, Region: p.Region}, r)
		a.fn.mu.RUnlock()
		if err != nil {
			return invalidParameter("The destination ARN %s is invalid.", dest)
		}
	}
	return nil
}

// describeDestinations renders a DestinationConfig as AWS's messages do.
func describeDestinations(d *Destinations) string {
	part := func(kind, v string) string {
		if v == "" {
			return "null"
		}
		return kind + "(destination=" + v + ")"
	}
	return "DestinationConfig(onSuccess=" + part("OnSuccess", d.OnSuccess) + ", onFailure=" + part("OnFailure", d.OnFailure) + ")"
}
