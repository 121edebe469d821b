package bus

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
)

// MaxTargetsPerRule is EventBridge's quota of targets per rule.
const MaxTargetsPerRule = 5

// Target is a rule's target. Its JSON form (used for storage) has AWS's
// field names.
type Target struct {
	ID               string                `json:"Id"`
	Arn              string                `json:"Arn"`
	RoleArn          *string               `json:"RoleArn,omitempty"`
	Input            *string               `json:"Input,omitempty"`
	InputPath        *string               `json:"InputPath,omitempty"`
	InputTransformer *InputTransformer     `json:"InputTransformer,omitempty"`
	SqsParameters    *SqsParameters        `json:"SqsParameters,omitempty"`
	HTTPParameters   *TargetHTTPParameters `json:"HttpParameters,omitempty"`
	DeadLetterConfig *DeadLetterConfig     `json:"DeadLetterConfig,omitempty"`
	RetryPolicy      *RetryPolicy          `json:"RetryPolicy,omitempty"`
}

// InputTransformer rewrites the event with a template.
type InputTransformer struct {
	InputPathsMap map[string]string `json:"InputPathsMap,omitempty"`
	InputTemplate string            `json:"InputTemplate"`
}

// SqsParameters are an SQS target's options.
type SqsParameters struct {
	MessageGroupID *string `json:"MessageGroupId,omitempty"`
}

// DeadLetterConfig names the SQS queue of undeliverable events.
type DeadLetterConfig struct {
	Arn *string `json:"Arn,omitempty"`
}

// RetryPolicy bounds the delivery attempts of one event to one target.
type RetryPolicy struct {
	MaximumRetryAttempts     *int32 `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int32 `json:"MaximumEventAgeInSeconds,omitempty"`
}

// TargetFailure is one target PutTargets or RemoveTargets did not apply.
type TargetFailure struct {
	TargetID     string
	ErrorCode    string
	ErrorMessage string
}

// PutTargetsInput adds or replaces targets of a rule.
type PutTargetsInput struct {
	Caller
	Rule         string
	EventBusName string
	Targets      []Target
}

// PutTargets adds or replaces (by Id) targets of a rule.
func (s *Service) PutTargets(ctx context.Context, in PutTargetsInput) ([]TargetFailure, error) {
	if err := validateName(in.Rule, "rule"); err != nil {
		return nil, err
	}
	if len(in.Targets) == 0 || len(in.Targets) > 100 {
		return nil, constraint("[]", "targets", "Member must have length less than or equal to 100")
	}
	var failed []TargetFailure
	var ok []Target
	for i, t := range in.Targets {
		if err := validateTarget(t, i+1); err != nil {
			return nil, err
		}
		if _, err := arn.Parse(t.Arn); err != nil {
			failed = append(failed, TargetFailure{TargetID: t.ID, ErrorCode: "ValidationException", ErrorMessage: "Parameter " + t.Arn + " is not valid. Reason: Provided Arn is not in correct format."})
			continue
		}
		ok = append(ok, t)
	}
	s.mu.Lock()
	b, r, err := s.findRule(in.Caller, in.EventBusName, in.Rule)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	targets := slices.Clone(r.rec.Targets)
	for _, t := range ok {
		if i := slices.IndexFunc(targets, func(x Target) bool { return x.ID == t.ID }); i >= 0 {
			targets[i] = t
		} else {
			targets = append(targets, t)
		}
	}
	if len(targets) > MaxTargetsPerRule {
		s.mu.Unlock()
		return nil, errorf(CodeLimitExceeded, "The requested resource exceeds the maximum number allowed.")
	}
	r.rec.Targets = targets
	b.putRule(r)
	done := s.store.Submit(ruleRecordChange(r.rec))
	s.mu.Unlock()
	return failed, commit(done)
}

// validateTarget checks one target as PutTargets does; n is its 1-based
// position in the request.
func validateTarget(t Target, n int) error {
	field := "targets." + itoa(n) + ".member."
	if err := validateName(t.ID, field+"id"); err != nil {
		return err
	}
	if t.Arn == "" || len(t.Arn) > 1600 {
		return constraint(t.Arn, field+"arn", "Member must have length greater than or equal to 1")
	}
	set := 0
	for _, b := range []bool{t.Input != nil, t.InputPath != nil, t.InputTransformer != nil} {
		if b {
			set++
		}
	}
	if set > 1 {
		return validation("Only one of Input, InputPath, or InputTransformer must be provided for target %s.", t.ID)
	}
	if t.Input != nil {
		if len(*t.Input) > 8192 {
			return constraint(*t.Input, field+"input", "Member must have length less than or equal to 8192")
		}
		if !json.Valid([]byte(*t.Input)) {
			return validation("Input for target %s is not valid JSON text.", t.ID)
		}
	}
	if t.InputPath != nil {
		if _, err := parsePath(*t.InputPath); err != nil || len(*t.InputPath) > 256 {
			return validation("InputPath for target %s is invalid.", t.ID)
		}
	}
	if t.InputTransformer != nil {
		if err := validateTransformer(t.ID, *t.InputTransformer); err != nil {
			return err
		}
	}
	if err := validateRetry(t.RetryPolicy, field); err != nil {
		return err
	}
	if isFIFOQueueArn(t.Arn) && (t.SqsParameters == nil || t.SqsParameters.MessageGroupID == nil) {
		return validation("Parameter(s) SqsParameters must be specified for target: %s.", t.ID)
	}
	return nil
}

func validateRetry(p *RetryPolicy, field string) error {
	if p == nil {
		return nil
	}
	if a := p.MaximumRetryAttempts; a != nil && (*a < 0 || *a > 185) {
		return constraint(itoa(int(*a)), field+"retryPolicy.maximumRetryAttempts", "Member must have value less than or equal to 185")
	}
	if a := p.MaximumEventAgeInSeconds; a != nil && (*a < 60 || *a > 86400) {
		rule := "Member must have value greater than or equal to 60"
		if *a > 86400 {
			rule = "Member must have value less than or equal to 86400"
		}
		return constraint(itoa(int(*a)), field+"retryPolicy.maximumEventAgeInSeconds", rule)
	}
	return nil
}

func isFIFOQueueArn(s string) bool {
	a, err := arn.Parse(s)
	return err == nil && a.Service == "sqs" && strings.HasSuffix(a.Resource, ".fifo")
}

// RemoveTargetsInput removes targets of a rule by Id.
type RemoveTargetsInput struct {
	Caller
	Rule         string
	EventBusName string
	IDs          []string
}

// RemoveTargets removes targets; an unknown Id is not an error.
func (s *Service) RemoveTargets(ctx context.Context, in RemoveTargetsInput) ([]TargetFailure, error) {
	if len(in.IDs) == 0 || len(in.IDs) > 100 {
		return nil, constraint("[]", "ids", "Member must have length less than or equal to 100")
	}
	s.mu.Lock()
	b, r, err := s.findRule(in.Caller, in.EventBusName, in.Rule)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	r.rec.Targets = slices.DeleteFunc(slices.Clone(r.rec.Targets), func(t Target) bool { return slices.Contains(in.IDs, t.ID) })
	b.putRule(r)
	done := s.store.Submit(ruleRecordChange(r.rec))
	s.mu.Unlock()
	return nil, commit(done)
}

// ListTargetsByRule returns a rule's targets in the order they were added.
func (s *Service) ListTargetsByRule(_ context.Context, c Caller, busNameOrArn, ruleName string, limit int, token string) ([]Target, string, error) {
	s.mu.RLock()
	_, r, err := s.findRule(c, busNameOrArn, ruleName)
	var targets []Target
	if err == nil {
		targets = slices.Clone(r.rec.Targets)
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, "", err
	}
	start := 0
	if token != "" {
		start = len(targets)
		if i := slices.IndexFunc(targets, func(t Target) bool { return t.ID == token }); i >= 0 {
			start = i + 1
		}
	}
	targets = targets[start:]
	if limit <= 0 || limit >= len(targets) {
		return targets, "", nil
	}
	return targets[:limit], targets[limit-1].ID, nil
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
