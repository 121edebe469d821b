package function

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Policy is a function's (or a version's or alias's) resource policy:
// stored and reported, not enforced.
type Policy struct {
	Statements []Statement `json:"statements"`
	RevisionID string      `json:"revisionId"`
}

// Statement is one statement of a resource policy, in IAM's JSON form.
type Statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// Document is the policy as GetPolicy returns it: an IAM policy in JSON.
func (p Policy) Document() string {
	b, _ := json.Marshal(struct {
		Version   string      `json:"Version"`
		ID        string      `json:"Id"`
		Statement []Statement `json:"Statement"`
	}{"2012-10-17", "default", p.Statements})
	return string(b)
}

// PermissionInput is AddPermission's input.
type PermissionInput struct {
	Function            string
	Qualifier           string
	StatementID         string
	Action              string
	Principal           string
	SourceArn           string
	SourceAccount       string
	EventSourceToken    string
	PrincipalOrgID      string
	FunctionURLAuthType string
	RevisionID          string
}

var (
	statementRE       = regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)
	qualifierRE       = regexp.MustCompile(`^(\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+)$`)
	actionRE          = regexp.MustCompile(`^(lambda:[*]|lambda:[a-zA-Z]+|[*])$`)
	accountRE         = regexp.MustCompile(`^\d{12}$`)
	errPolicyNotFound = errorf(CodeResourceNotFound, "The resource you requested does not exist.")
)

func validatePermission(in *PermissionInput) error {
	switch {
	case len(in.StatementID) < 1 || len(in.StatementID) > 100 || !statementRE.MatchString(in.StatementID):
		return constraint(in.StatementID, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)")
	case !actionRE.MatchString(in.Action):
		return constraint(in.Action, "action", "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])")
	case in.Principal == "" || strings.ContainsAny(in.Principal, " \t\n"):
		return constraint(in.Principal, "principal", "Member must satisfy regular expression pattern: [^\\s]+")
	}
	return validateQualifier(in.Qualifier)
}

func validateQualifier(q string) error {
	if q != "" && (len(q) > 128 || !qualifierRE.MatchString(q)) {
		return constraint(q, "qualifier", "Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+")
	}
	return nil
}

// principal renders a principal as IAM does, or nil if it is not one.
func principal(p string) any {
	switch {
	case p == "*":
		return "*"
	case accountRE.MatchString(p):
		return map[string]string{"AWS": "arn:aws:iam::" + p + ":root"}
	case strings.HasPrefix(p, "arn:"):
		return map[string]string{"AWS": p}
	case strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazon.com"):
		return map[string]string{"Service": p}
	}
	return nil
}

// AddPermission adds a statement to the policy of a function, version or
// alias and returns it.
func (s *Service) AddPermission(ctx context.Context, c Caller, in PermissionInput) (Statement, error) {
	if err := validatePermission(&in); err != nil {
		return Statement{}, err
	}
	r, err := parseName(c, in.Function, in.Qualifier)
	if err != nil {
		return Statement{}, err
	}
	if r.qualifier == latest {
		return Statement{}, invalidParameter("We currently do not support adding policies for $LATEST.")
	}
	pr := principal(in.Principal)
	if pr == nil {
		return Statement{}, invalidParameter("The provided principal was invalid. Please check the principal and try again.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.policyTarget(c, r)
	if err != nil {
		return Statement{}, err
	}
	pol := f.state.Policies[r.qualifier]
	if in.RevisionID != "" && in.RevisionID != pol.RevisionID {
		return Statement{}, errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
	}
	if slices.ContainsFunc(pol.Statements, func(st Statement) bool { return st.Sid == in.StatementID }) {
		return Statement{}, errorf(CodeResourceConflict, "The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", in.StatementID)
	}
	arn := f.cfg.ARN()
	if r.qualifier != "" {
		arn += ":" + r.qualifier
	}
	st := Statement{Sid: in.StatementID, Effect: "Allow", Principal: pr, Action: in.Action, Resource: arn, Condition: conditions(&in)}
	next := Policy{Statements: append(slices.Clone(pol.Statements), st), RevisionID: s.ids.UUID()}
	if err := s.putPolicy(ctx, f, r.qualifier, next); err != nil {
		return Statement{}, err
	}
	return st, nil
}

// conditions are the statement's conditions from the optional fields.
func conditions(in *PermissionInput) map[string]map[string]string {
	c := map[string]map[string]string{}
	add := func(op, key, v string) {
		if v == "" {
			return
		}
		if c[op] == nil {
			c[op] = map[string]string{}
		}
		c[op][key] = v
	}
	add("StringEquals", "AWS:SourceAccount", in.SourceAccount)
	add("StringEquals", "lambda:EventSourceToken", in.EventSourceToken)
	add("StringEquals", "aws:PrincipalOrgID", in.PrincipalOrgID)
	add("StringEquals", "lambda:FunctionUrlAuthType", in.FunctionURLAuthType)
	add("ArnLike", "AWS:SourceArn", in.SourceArn)
	if len(c) == 0 {
		return nil
	}
	return c
}

// policyTarget finds the function whose version or alias r names.
// Callers hold s.mu.
func (s *Service) policyTarget(c Caller, r ref) (*function, error) {
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	arn := functionARN(c.Region, c.Account, r.name)
	switch {
	case !ok && r.qualifier == "":
		return nil, notFound(arn)
	case r.qualifier == "":
		return f, nil
	case weightKeyRE.MatchString(r.qualifier) || strings.Contains(r.qualifier, "$"):
		if !ok || f.versions[r.qualifier] == nil {
			return nil, notFound(arn + ":" + r.qualifier)
		}
	case !ok || f.aliases[r.qualifier] == nil:
		return nil, errorf(CodeResourceNotFound, "Cannot find alias arn: %s:%s", arn, r.qualifier)
	}
	return f, nil
}

// putPolicy stores a qualifier's policy; an empty one is removed.
// Callers hold s.mu.
func (s *Service) putPolicy(ctx context.Context, f *function, q string, p Policy) error {
	st := f.state
	st.Policies = maps.Clone(st.Policies)
	if st.Policies == nil {
		st.Policies = map[string]Policy{}
	}
	st.Policies[q] = p
	if len(p.Statements) == 0 {
		delete(st.Policies, q)
	}
	if err := s.store.Apply(ctx, putStateRecord(&f.cfg, st)); err != nil {
		return err
	}
	f.state = st
	return nil
}

// RemovePermission removes one statement from a policy.
func (s *Service) RemovePermission(ctx context.Context, c Caller, name, qualifier, sid, revision string) error {
	if err := validateQualifier(qualifier); err != nil {
		return err
	}
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.functions[funcKey{c.Account, c.Region, r.name}]; !ok && r.qualifier == "" {
		return errorf(CodeResourceNotFound, "No policy found for: %s", functionARN(c.Region, c.Account, r.name))
	}
	f, err := s.policyTarget(c, r)
	if err != nil {
		return err
	}
	pol, ok := f.state.Policies[r.qualifier]
	if !ok {
		return errorf(CodeResourceNotFound, "No policy is associated with the given resource.")
	}
	if revision != "" && revision != pol.RevisionID {
		return errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	i := slices.IndexFunc(pol.Statements, func(st Statement) bool { return st.Sid == sid })
	if i < 0 {
		return errorf(CodeResourceNotFound, "Statement %s is not found in resource policy.", sid)
	}
	next := Policy{Statements: slices.Delete(slices.Clone(pol.Statements), i, i+1), RevisionID: s.ids.UUID()}
	return s.putPolicy(ctx, f, r.qualifier, next)
}

// GetPolicy returns the policy of a function, version or alias.
func (s *Service) GetPolicy(_ context.Context, c Caller, name, qualifier string) (Policy, error) {
	if err := validateQualifier(qualifier); err != nil {
		return Policy{}, err
	}
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return Policy{}, err
	}
	if r.qualifier == latest {
		r.qualifier = ""
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		return Policy{}, errPolicyNotFound
	}
	pol, ok := f.state.Policies[r.qualifier]
	if !ok {
		return Policy{}, errPolicyNotFound
	}
	return pol, nil
}
