package function

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
)

// AddLayerPermissionInput is AddLayerVersionPermission's input.
type AddLayerPermissionInput struct {
	Name           string
	Version        int64
	StatementID    string
	Action         string
	Principal      string
	OrganizationID string
	RevisionID     string
}

var (
	statementIDRE    = regexp.MustCompile(`^([a-zA-Z0-9-_]+)$`)
	layerPrincipal   = regexp.MustCompile(`^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$`)
	organizationIDRE = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// LayerPolicy is a layer version's resource policy document and revision.
type LayerPolicy struct {
	Policy     string
	RevisionID string
}

// statementJSON renders a statement as AWS does.
func statementJSON(v *LayerVersion, st LayerStatement) map[string]any {
	m := map[string]any{"Sid": st.Sid, "Effect": "Allow", "Principal": st.Principal, "Action": st.Action, "Resource": v.Arn()}
	if st.OrganizationID != "" {
		m["Condition"] = map[string]any{"StringEquals": map[string]string{"aws:PrincipalOrgID": st.OrganizationID}}
	}
	return m
}

func validateLayerPermission(in *AddLayerPermissionInput) error {
	switch {
	case in.StatementID == "" || len(in.StatementID) > 100 || !statementIDRE.MatchString(in.StatementID):
		return constraint(in.StatementID, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)")
	case in.Action != "lambda:GetLayerVersion":
		return constraint(in.Action, "action", "Member must satisfy regular expression pattern: lambda:GetLayerVersion")
	case !layerPrincipal.MatchString(in.Principal):
		return constraint(in.Principal, "principal", `Member must satisfy regular expression pattern: \d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root`)
	case in.OrganizationID != "" && !organizationIDRE.MatchString(in.OrganizationID):
		return constraint(in.OrganizationID, "organizationId", "Member must satisfy regular expression pattern: o-[a-z0-9]{10,32}")
	}
	return nil
}

// layerForPolicy finds the layer version a policy operation names.
// Callers hold reg.mu.
func (s *Service) layerForPolicy(c Caller, name string, n int64) (*LayerVersion, error) {
	name, err := layerName(c, name)
	if err != nil {
		return nil, err
	}
	if err := checkLayerVersion(n); err != nil {
		return nil, err
	}
	v := s.host.layers.get(layerKey{c.Account, c.Region, name}, n)
	if v == nil {
		return nil, errorf(CodeResourceNotFound, "Layer version %s:%d does not exist.", layerARN(c.Region, c.Account, name), n)
	}
	return v, nil
}

// AddLayerVersionPermission adds a statement to a layer version's policy and
// returns the statement as JSON and the policy's new revision.
func (s *Service) AddLayerVersionPermission(ctx context.Context, c Caller, in AddLayerPermissionInput) (string, string, error) {
	if err := validateLayerPermission(&in); err != nil {
		return "", "", err
	}
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	v, err := s.layerForPolicy(c, in.Name, in.Version)
	if err != nil {
		return "", "", err
	}
	if in.RevisionID != "" && in.RevisionID != v.PolicyRevision {
		return "", "", errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id")
	}
	if slices.ContainsFunc(v.Policy, func(st LayerStatement) bool { return st.Sid == in.StatementID }) {
		return "", "", errorf(CodeResourceConflict, "The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", in.StatementID)
	}
	st := LayerStatement{Sid: in.StatementID, Action: in.Action, Principal: in.Principal, OrganizationID: in.OrganizationID}
	next := *v
	next.Policy = append(slices.Clone(v.Policy), st)
	next.PolicyRevision = s.ids.UUID()
	if err := s.store.Apply(ctx, layerVersionRecord(&next)); err != nil {
		return "", "", err
	}
	*v = next
	b, _ := json.Marshal(statementJSON(v, st))
	return string(b), v.PolicyRevision, nil
}

// RemoveLayerVersionPermission removes a statement from a layer version's
// policy.
func (s *Service) RemoveLayerVersionPermission(ctx context.Context, c Caller, name string, n int64, sid, revision string) error {
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	v, err := s.layerForPolicy(c, name, n)
	if err != nil {
		return err
	}
	if revision != "" && revision != v.PolicyRevision {
		return errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id")
	}
	i := slices.IndexFunc(v.Policy, func(st LayerStatement) bool { return st.Sid == sid })
	if i < 0 {
		return errorf(CodeResourceNotFound, "Statement %s is not found in resource policy.", sid)
	}
	next := *v
	next.Policy = slices.Delete(slices.Clone(v.Policy), i, i+1)
	next.PolicyRevision = s.ids.UUID()
	if err := s.store.Apply(ctx, layerVersionRecord(&next)); err != nil {
		return err
	}
	*v = next
	return nil
}

// GetLayerVersionPolicy returns a layer version's policy document.
func (s *Service) GetLayerVersionPolicy(_ context.Context, c Caller, name string, n int64) (LayerPolicy, error) {
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	v, err := s.layerForPolicy(c, name, n)
	if err != nil {
		return LayerPolicy{}, err
	}
	if len(v.Policy) == 0 {
		return LayerPolicy{}, errorf(CodeResourceNotFound, "No policy is associated with the given resource.")
	}
	sts := make([]map[string]any, 0, len(v.Policy))
	for _, st := range v.Policy {
		sts = append(sts, statementJSON(v, st))
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": sts})
	return LayerPolicy{Policy: string(b), RevisionID: v.PolicyRevision}, nil
}
