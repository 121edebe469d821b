package bus

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"

	"github.com/fogbank/fogbank/internal/arn"
)

// MaxPolicyLength is the limit of a bus's resource policy.
const MaxPolicyLength = 10240

var (
	statementIDPattern = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)
	principalPattern   = regexp.MustCompile(`^(\d{12}|\*)$`)
)

// policyDoc is a resource policy; statements are kept as raw JSON so a
// policy given whole is returned as given.
type policyDoc struct {
	Version   string            `json:"Version"`
	Statement []json.RawMessage `json:"Statement"`
}

// statement is the part of a statement fogbank evaluates.
type statement struct {
	Sid       string          `json:"Sid"`
	Effect    string          `json:"Effect"`
	Principal json.RawMessage `json:"Principal"`
	Action    json.RawMessage `json:"Action"`
}

// Condition limits a PutPermission grant.
type Condition struct {
	Type  string `json:"Type"`
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// PutPermissionInput grants an account (or everyone) events:PutEvents on a
// bus, or sets the whole policy.
type PutPermissionInput struct {
	Caller
	EventBusName string
	Action       string
	Principal    string
	StatementID  string
	Condition    *Condition
	Policy       *string
}

// PutPermission adds a statement to a bus's policy or replaces the policy.
func (s *Service) PutPermission(ctx context.Context, in PutPermissionInput) error {
	if _, err := s.readBus(in.Caller, in.EventBusName); err != nil {
		return err
	}
	s.mu.Lock()
	b := s.busLocked(in.Caller, in.EventBusName, true)
	if b == nil {
		s.mu.Unlock()
		return busNotFound(busName(in.EventBusName))
	}
	policy, err := grant(b, in)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if len(policy) > MaxPolicyLength {
		s.mu.Unlock()
		return errorf(CodePolicyLengthExceeded, "The policy of the event bus exceeds the maximum allowed size.")
	}
	b.rec.Policy = policy
	b.rec.Modified = s.clock.Now().UnixMilli()
	done := s.store.Submit(busRecordChange(b.rec))
	s.mu.Unlock()
	return commit(done)
}

// grant returns the bus's policy with in applied. Callers hold s.mu.
func grant(b *eventBus, in PutPermissionInput) (string, error) {
	if in.Policy != nil {
		var doc policyDoc
		if err := json.Unmarshal([]byte(*in.Policy), &doc); err != nil {
			return "", validation("Parameter Policy is not valid. Reason: The policy is not valid JSON.")
		}
		return *in.Policy, nil
	}
	if in.Action != "events:PutEvents" {
		return "", validation("Provided value in parameter 'action' is not supported.")
	}
	if !principalPattern.MatchString(in.Principal) {
		return "", constraint(in.Principal, "principal", "Member must satisfy regular expression pattern: (\\d{12}|\\*)")
	}
	if !statementIDPattern.MatchString(in.StatementID) {
		return "", constraint(in.StatementID, "statementId", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+")
	}
	st := map[string]any{"Sid": in.StatementID, "Effect": "Allow", "Action": "events:PutEvents", "Resource": b.rec.arn()}
	if in.Principal == "*" {
		st["Principal"] = "*"
	} else {
		st["Principal"] = map[string]string{"AWS": "arn:aws:iam::" + in.Principal + ":root"}
	}
	if c := in.Condition; c != nil {
		st["Condition"] = map[string]any{c.Type: map[string]string{c.Key: c.Value}}
	}
	raw, _ := json.Marshal(st)
	doc := b.policy()
	doc.Statement = slices.DeleteFunc(doc.Statement, func(r json.RawMessage) bool { return sid(r) == in.StatementID })
	doc.Statement = append(doc.Statement, raw)
	out, _ := json.Marshal(doc)
	return string(out), nil
}

func (b *eventBus) policy() policyDoc {
	doc := policyDoc{Version: "2012-10-17"}
	if b.rec.Policy != "" {
		_ = json.Unmarshal([]byte(b.rec.Policy), &doc)
	}
	return doc
}

func sid(raw json.RawMessage) string {
	var st statement
	_ = json.Unmarshal(raw, &st)
	return st.Sid
}

// RemovePermissionInput removes one statement, or the whole policy.
type RemovePermissionInput struct {
	Caller
	EventBusName string
	StatementID  string
	RemoveAll    bool
}

// RemovePermission removes a statement from a bus's policy.
func (s *Service) RemovePermission(ctx context.Context, in RemovePermissionInput) error {
	if _, err := s.readBus(in.Caller, in.EventBusName); err != nil {
		return err
	}
	s.mu.Lock()
	b := s.busLocked(in.Caller, in.EventBusName, true)
	if b == nil {
		s.mu.Unlock()
		return busNotFound(busName(in.EventBusName))
	}
	switch {
	case in.RemoveAll:
		b.rec.Policy = ""
	default:
		doc := b.policy()
		n := len(doc.Statement)
		doc.Statement = slices.DeleteFunc(doc.Statement, func(r json.RawMessage) bool { return sid(r) == in.StatementID })
		if n == len(doc.Statement) {
			s.mu.Unlock()
			return errorf(CodeResourceNotFound, "Statement with the provided id does not exist.")
		}
		b.rec.Policy = ""
		if len(doc.Statement) > 0 {
			out, _ := json.Marshal(doc)
			b.rec.Policy = string(out)
		}
	}
	b.rec.Modified = s.clock.Now().UnixMilli()
	done := s.store.Submit(busRecordChange(b.rec))
	s.mu.Unlock()
	return commit(done)
}

// allows reports whether the bus's policy lets account put events on it:
// an Allow statement for events:PutEvents (or events:*) naming the account
// or "*", and no such Deny. Conditions are not evaluated. Callers hold s.mu.
func (b *eventBus) allows(account string) bool {
	allowed := false
	for _, raw := range b.policy().Statement {
		var st statement
		if json.Unmarshal(raw, &st) != nil || !actionMatches(st.Action) || !principalMatches(st.Principal, account) {
			continue
		}
		if st.Effect == "Deny" {
			return false
		}
		allowed = allowed || st.Effect == "Allow"
	}
	return allowed
}

func stringsOf(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

func actionMatches(raw json.RawMessage) bool {
	return slices.ContainsFunc(stringsOf(raw), func(a string) bool { return a == "events:PutEvents" || a == "events:*" || a == "*" })
}

func principalMatches(raw json.RawMessage, account string) bool {
	if slices.Contains(stringsOf(raw), "*") {
		return true
	}
	var p struct {
		AWS json.RawMessage `json:"AWS"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	for _, v := range stringsOf(p.AWS) {
		if v == "*" || v == account {
			return true
		}
		if a, err := arn.Parse(v); err == nil && a.Service == "iam" && a.Account == account {
			return true
		}
	}
	return false
}
