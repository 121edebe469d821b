package bus

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/store"
)

// Rule states.
const (
	StateEnabled  = "ENABLED"
	StateDisabled = "DISABLED"
	// StateEnabledWithCloudTrail also matches CloudTrail management events;
	// fogbank emits none, so it behaves as ENABLED.
	StateEnabledWithCloudTrail = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
)

var namePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)

// ruleRecord is a rule as stored, with its targets.
type ruleRecord struct {
	Account            string            `json:"account"`
	Region             string            `json:"region"`
	Bus                string            `json:"bus"`
	Name               string            `json:"name"`
	Arn                string            `json:"arn"`
	EventPattern       string            `json:"eventPattern,omitempty"`
	ScheduleExpression string            `json:"scheduleExpression,omitempty"`
	State              string            `json:"state"`
	Description        string            `json:"description,omitempty"`
	RoleArn            string            `json:"roleArn,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	Targets            []Target          `json:"targets,omitempty"`
}

type rule struct {
	rec     ruleRecord
	pattern *pattern.Pattern // nil for schedule-only rules
}

func newRule(rec ruleRecord) (*rule, error) {
	r := &rule{rec: rec}
	if rec.EventPattern != "" {
		p, err := pattern.Compile([]byte(rec.EventPattern))
		if err != nil {
			return nil, patternErr(err)
		}
		r.pattern = p
	}
	return r, nil
}

func (r *rule) enabled() bool { return r.rec.State != StateDisabled }

// putRule installs r, replacing a rule of the same name, and keeps the
// matcher in step.
func (b *eventBus) putRule(r *rule) {
	b.rules[r.rec.Name] = r
	if r.pattern != nil && r.enabled() {
		b.matcher.Add(r.rec.Name, r.pattern)
	} else {
		b.matcher.Remove(r.rec.Name)
	}
}

func patternErr(err error) error {
	var pe *pattern.Error
	if errors.As(err, &pe) {
		code := CodeInvalidEventPattern
		if pe.Code == pattern.CodeValidation {
			code = CodeValidation
		}
		return &Error{Code: code, Message: pe.Message}
	}
	return err
}

// RuleInfo describes a rule.
type RuleInfo struct {
	Name               string
	Arn                string
	EventPattern       string
	ScheduleExpression string
	State              string
	Description        string
	RoleArn            string
	EventBusName       string
	CreatedBy          string
}

func (r *rule) info() RuleInfo {
	x := r.rec
	return RuleInfo{
		Name: x.Name, Arn: x.Arn, EventPattern: x.EventPattern, ScheduleExpression: x.ScheduleExpression,
		State: x.State, Description: x.Description, RoleArn: x.RoleArn, EventBusName: x.Bus, CreatedBy: x.Account,
	}
}

// PutRuleInput creates or replaces a rule.
type PutRuleInput struct {
	Caller
	Name               string
	EventBusName       string
	EventPattern       *string
	ScheduleExpression *string
	State              *string
	Description        *string
	RoleArn            *string
	Tags               map[string]string
}

// PutRule creates or updates a rule and returns its ARN.
func (s *Service) PutRule(ctx context.Context, in PutRuleInput) (string, error) {
	rec, err := s.validateRule(in)
	if err != nil {
		return "", err
	}
	r, err := newRule(rec)
	if err != nil {
		return "", err
	}
	if _, err := s.readBus(in.Caller, in.EventBusName); err != nil {
		return "", err
	}
	s.mu.Lock()
	b := s.busLocked(in.Caller, in.EventBusName, true)
	if b == nil {
		s.mu.Unlock()
		return "", busNotFound(busName(in.EventBusName))
	}
	rec.Bus = b.rec.Name
	rec.Arn = ruleArn(in.Region, in.Account, b.rec.Name, in.Name)
	r.rec = rec
	if old := b.rules[in.Name]; old != nil {
		r.rec.Targets = old.rec.Targets
		if in.Tags == nil {
			r.rec.Tags = old.rec.Tags
		}
	}
	b.putRule(r)
	changes := []store.Change{ruleRecordChange(r.rec)}
	if c := s.sched.update(r.rec, s.clock.Now()); c != nil {
		changes = append(changes, c)
	}
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return rec.Arn, commit(done)
}

func (s *Service) validateRule(in PutRuleInput) (ruleRecord, error) {
	if err := validateName(in.Name, "name"); err != nil {
		return ruleRecord{}, err
	}
	rec := ruleRecord{Account: in.Account, Region: in.Region, Name: in.Name, State: StateEnabled, Tags: in.Tags}
	if in.State != nil {
		switch *in.State {
		case StateEnabled, StateDisabled, StateEnabledWithCloudTrail:
			rec.State = *in.State
		default:
			return rec, constraint(*in.State, "state", "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
		}
	}
	if in.EventPattern != nil {
		if len(*in.EventPattern) > 4096 {
			return rec, constraint(*in.EventPattern, "eventPattern", "Member must have length less than or equal to 4096")
		}
		rec.EventPattern = *in.EventPattern
	}
	if in.ScheduleExpression != nil {
		if err := validateSchedule(*in.ScheduleExpression); err != nil {
			return rec, err
		}
		if busName(in.EventBusName) != DefaultBus {
			return rec, validation("ScheduleExpression is supported only on the default event bus.")
		}
		rec.ScheduleExpression = *in.ScheduleExpression
	}
	if rec.EventPattern == "" && rec.ScheduleExpression == "" {
		return rec, validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if in.Description != nil {
		if len(*in.Description) > 512 {
			return rec, constraint(*in.Description, "description", "Member must have length less than or equal to 512")
		}
		rec.Description = *in.Description
	}
	if in.RoleArn != nil {
		rec.RoleArn = *in.RoleArn
	}
	return rec, validateTags(in.Tags)
}

func validateSchedule(expr string) error {
	if _, err := parseSchedule(expr); err != nil {
		return validation("Parameter ScheduleExpression is not valid.")
	}
	return nil
}

func validateName(name, field string) error {
	switch {
	case name == "":
		return constraint(name, field, "Member must have length greater than or equal to 1")
	case !namePattern.MatchString(name):
		return constraint(name, field, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
	case len(name) > 64:
		return constraint(name, field, "Member must have length less than or equal to 64")
	}
	return nil
}

// findRule returns a rule; the caller holds s.mu.
func (s *Service) findRule(c Caller, busNameOrArn, name string) (*eventBus, *rule, error) {
	b := s.busLocked(c, busNameOrArn, false)
	if b == nil {
		if busName(busNameOrArn) == DefaultBus {
			return nil, nil, ruleNotFound(name, DefaultBus)
		}
		return nil, nil, busNotFound(busName(busNameOrArn))
	}
	r := b.rules[name]
	if r == nil {
		return b, nil, ruleNotFound(name, b.rec.Name)
	}
	return b, r, nil
}

// DescribeRule returns a rule.
func (s *Service) DescribeRule(_ context.Context, c Caller, busNameOrArn, name string) (RuleInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, r, err := s.findRule(c, busNameOrArn, name)
	if err != nil {
		return RuleInfo{}, err
	}
	return r.info(), nil
}

// DeleteRule deletes a rule that has no targets. A missing rule is no error.
func (s *Service) DeleteRule(ctx context.Context, c Caller, busNameOrArn, name string) error {
	s.mu.Lock()
	b, r, err := s.findRule(c, busNameOrArn, name)
	if err != nil {
		s.mu.Unlock()
		if IsCode(err, CodeResourceNotFound) && b != nil {
			return nil
		}
		return err
	}
	if len(r.rec.Targets) > 0 {
		s.mu.Unlock()
		return validation("Rule can't be deleted since it has targets.")
	}
	delete(b.rules, name)
	b.matcher.Remove(name)
	changes := []store.Change{store.DeleteRecord{Kind: RecordRule, Key: ruleKey(r.rec)}}
	gone := r.rec
	gone.ScheduleExpression = ""
	if c := s.sched.update(gone, s.clock.Now()); c != nil {
		changes = append(changes, c)
	}
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return commit(done)
}

// SetRuleState enables or disables a rule.
func (s *Service) SetRuleState(ctx context.Context, c Caller, busNameOrArn, name string, enabled bool) error {
	s.mu.Lock()
	b, r, err := s.findRule(c, busNameOrArn, name)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	r.rec.State = StateDisabled
	if enabled {
		r.rec.State = StateEnabled
	}
	b.putRule(r)
	s.sched.update(r.rec, s.clock.Now())
	done := s.store.Submit(ruleRecordChange(r.rec))
	s.mu.Unlock()
	return commit(done)
}

// ListRulesInput pages through a bus's rules.
type ListRulesInput struct {
	Caller
	EventBusName string
	NamePrefix   string
	Limit        int
	NextToken    string
}

// ListRules lists a bus's rules by name.
func (s *Service) ListRules(_ context.Context, in ListRulesInput) ([]RuleInfo, string, error) {
	b, err := s.readBus(in.Caller, in.EventBusName)
	if err != nil {
		return nil, "", err
	}
	s.mu.RLock()
	var all []RuleInfo
	for name, r := range b.rules {
		if strings.HasPrefix(name, in.NamePrefix) {
			all = append(all, r.info())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b RuleInfo) int { return strings.Compare(a.Name, b.Name) })
	return page(all, in.Limit, in.NextToken, func(r RuleInfo) string { return r.Name })
}

// ListRuleNamesByTargetInput finds the rules that have a target.
type ListRuleNamesByTargetInput struct {
	Caller
	EventBusName string
	TargetArn    string
	Limit        int
	NextToken    string
}

// ListRuleNamesByTarget lists the names of the bus's rules targeting an ARN.
func (s *Service) ListRuleNamesByTarget(_ context.Context, in ListRuleNamesByTargetInput) ([]string, string, error) {
	b, err := s.readBus(in.Caller, in.EventBusName)
	if err != nil {
		return nil, "", err
	}
	s.mu.RLock()
	var names []string
	for name, r := range b.rules {
		if slices.ContainsFunc(r.rec.Targets, func(t Target) bool { return t.Arn == in.TargetArn }) {
			names = append(names, name)
		}
	}
	s.mu.RUnlock()
	slices.Sort(names)
	return page(names, in.Limit, in.NextToken, func(n string) string { return n })
}

// TestEventPattern reports whether an event matches a pattern.
func (s *Service) TestEventPattern(_ context.Context, eventPattern, event string) (bool, error) {
	ok, err := pattern.Test([]byte(eventPattern), []byte(event))
	if err != nil {
		return false, patternErr(err)
	}
	return ok, nil
}
