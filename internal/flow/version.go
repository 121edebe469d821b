package flow

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// versionRecord is a published state machine version as stored.
type versionRecord struct {
	Arn             string    `json:"arn"`
	StateMachineArn string    `json:"stateMachineArn"`
	Number          int       `json:"number"`
	Definition      string    `json:"definition"`
	RoleArn         string    `json:"roleArn"`
	RevisionID      string    `json:"revisionId"`
	Description     string    `json:"description,omitempty"`
	Created         time.Time `json:"created"`
}

func (v *versionRecord) change() store.Change { return put(RecordVersion, v.Arn, v) }

// aliasRecord is a state machine alias as stored.
type aliasRecord struct {
	Arn             string         `json:"arn"`
	StateMachineArn string         `json:"stateMachineArn"`
	Name            string         `json:"name"`
	Description     string         `json:"description,omitempty"`
	Routing         []RoutingEntry `json:"routing"`
	Created         time.Time      `json:"created"`
	Updated         time.Time      `json:"updated,omitzero"`
}

func (a *aliasRecord) change() store.Change { return put(RecordAlias, a.Arn, a) }

// RoutingEntry sends Weight percent of an alias's executions to a version.
type RoutingEntry struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	Weight                 int    `json:"weight"`
}

// publish makes a version of the current revision, or returns the newest
// version when it already holds this revision (AWS does not duplicate).
func (m *machine) publish(now time.Time, description string) *versionRecord {
	for _, v := range m.versions {
		if v.Number == m.rec.NextVersion-1 && v.RevisionID == m.rec.RevisionID {
			return v
		}
	}
	n := m.rec.NextVersion
	m.rec.NextVersion++
	v := &versionRecord{
		Arn: m.rec.Arn + ":" + strconv.Itoa(n), StateMachineArn: m.rec.Arn, Number: n,
		Definition: m.rec.Definition, RoleArn: m.rec.RoleArn, RevisionID: m.rec.RevisionID,
		Description: description, Created: now,
	}
	m.versions[n] = v
	return v
}

// resolveQualifier returns the version a qualifier names: a version
// number, or an alias (resolved to its first routed version).
func (m *machine) resolveQualifier(q string) *versionRecord {
	if q == "" {
		return nil
	}
	if n, err := strconv.Atoi(q); err == nil {
		return m.versions[n]
	}
	if al := m.aliases[q]; al != nil && len(al.Routing) > 0 {
		if n, ok := versionNumber(al.Routing[0].StateMachineVersionArn); ok {
			return m.versions[n]
		}
	}
	return nil
}

func versionNumber(a string) (int, bool) {
	i := strings.LastIndexByte(a, ':')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(a[i+1:])
	return n, err == nil
}

// PublishStateMachineVersion publishes the current revision.
func (s *Service) PublishStateMachineVersion(ctx context.Context, a, revisionID, description string) (string, time.Time, error) {
	s.mu.Lock()
	m, err := s.machineLocked(a)
	if err == nil {
		if _, q, _ := machineArnParts(a); q != "" {
			err = invalidArn(a)
		}
	}
	if err != nil {
		s.mu.Unlock()
		return "", time.Time{}, err
	}
	if revisionID != "" && revisionID != m.rec.RevisionID {
		s.mu.Unlock()
		return "", time.Time{}, errorf(CodeConflict, "Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.", revisionID, m.rec.RevisionID)
	}
	v := m.publish(s.now(), description)
	done := s.store.Submit(v.change(), m.rec.change())
	s.mu.Unlock()
	return v.Arn, v.Created, commit(done)
}

// VersionListItem is one entry of ListStateMachineVersions.
type VersionListItem struct {
	StateMachineVersionArn string
	CreationDate           time.Time
}

// ListStateMachineVersions lists versions, newest first.
func (s *Service) ListStateMachineVersions(_ context.Context, a string, p Page) ([]VersionListItem, string, error) {
	s.mu.RLock()
	m, err := s.machineLocked(a)
	var all []VersionListItem
	if err == nil {
		for _, v := range m.versions {
			all = append(all, VersionListItem{StateMachineVersionArn: v.Arn, CreationDate: v.Created})
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, "", err
	}
	slices.SortFunc(all, func(a, b VersionListItem) int { return b.CreationDate.Compare(a.CreationDate) })
	return paginate(all, p)
}

// DeleteStateMachineVersion deletes a version no alias routes to.
func (s *Service) DeleteStateMachineVersion(ctx context.Context, a string) error {
	base, q, err := machineArnParts(a)
	if err != nil {
		return err
	}
	n, nerr := strconv.Atoi(q)
	if nerr != nil {
		return invalidArn(a)
	}
	s.mu.Lock()
	m := s.machines[base]
	if m == nil || m.versions[n] == nil {
		s.mu.Unlock()
		return nil
	}
	for _, al := range m.aliases {
		for _, r := range al.Routing {
			if r.StateMachineVersionArn == a {
				s.mu.Unlock()
				return errorf(CodeConflict, "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [%s]", al.Arn)
			}
		}
	}
	delete(m.versions, n)
	done := s.store.Submit(store.DeleteRecord{Kind: RecordVersion, Key: a})
	s.mu.Unlock()
	return commit(done)
}

// AliasInput is CreateStateMachineAlias's and UpdateStateMachineAlias's
// request.
type AliasInput struct {
	// StateMachineAliasArn is set for an update; Name for a create.
	StateMachineAliasArn string
	Name                 string
	Description          *string
	Routing              []RoutingEntry
}

// Alias is DescribeStateMachineAlias's answer.
type Alias struct {
	StateMachineAliasArn string
	Name                 string
	Description          string
	Routing              []RoutingEntry
	CreationDate         time.Time
	UpdateDate           time.Time
}

// checkRouting validates an alias's routing configuration against m.
func checkRouting(m *machine, routing []RoutingEntry) error {
	if len(routing) < 1 || len(routing) > 2 {
		return validation("1 validation error detected: Value at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2")
	}
	total := 0
	seen := map[string]bool{}
	for _, r := range routing {
		base, q, err := machineArnParts(r.StateMachineVersionArn)
		if err != nil {
			return err
		}
		n, nerr := strconv.Atoi(q)
		if base != m.rec.Arn || nerr != nil || m.versions[n] == nil {
			return errorf(CodeResourceNotFound, "Resource not found: '%s'", r.StateMachineVersionArn)
		}
		if seen[r.StateMachineVersionArn] {
			return validation("Routing configuration must contain distinct state machine version ARNs. Received: [%s, %s]", routing[0].StateMachineVersionArn, routing[1].StateMachineVersionArn)
		}
		seen[r.StateMachineVersionArn] = true
		if r.Weight < 0 || r.Weight > 100 {
			return validation("1 validation error detected: Value '%d' at 'routingConfiguration.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100", r.Weight)
		}
		total += r.Weight
	}
	if total != 100 {
		return validation("Sum of routing configuration weights must be equal to 100. Received: %d", total)
	}
	return nil
}

// CreateStateMachineAlias creates an alias routing to one or two versions.
func (s *Service) CreateStateMachineAlias(ctx context.Context, in AliasInput) (string, time.Time, error) {
	if err := checkName(in.Name); err != nil {
		return "", time.Time{}, err
	}
	if _, err := strconv.Atoi(in.Name); err == nil {
		return "", time.Time{}, invalidName(in.Name)
	}
	if len(in.Routing) == 0 {
		return "", time.Time{}, validation("1 validation error detected: Value at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	base, _, err := machineArnParts(in.Routing[0].StateMachineVersionArn)
	if err != nil {
		return "", time.Time{}, err
	}
	s.mu.Lock()
	m := s.machines[base]
	if m == nil {
		s.mu.Unlock()
		return "", time.Time{}, errorf(CodeResourceNotFound, "Resource not found: '%s'", in.Routing[0].StateMachineVersionArn)
	}
	if err := checkRouting(m, in.Routing); err != nil {
		s.mu.Unlock()
		return "", time.Time{}, err
	}
	if al := m.aliases[in.Name]; al != nil {
		s.mu.Unlock()
		return "", time.Time{}, errorf(CodeConflict, "Failed to create alias because an alias with the same name and a different routing configuration already exists.")
	}
	al := &aliasRecord{Arn: base + ":" + in.Name, StateMachineArn: base, Name: in.Name, Routing: in.Routing, Created: s.now()}
	if in.Description != nil {
		al.Description = *in.Description
	}
	m.aliases[in.Name] = al
	done := s.store.Submit(al.change())
	s.mu.Unlock()
	return al.Arn, al.Created, commit(done)
}

// aliasLocked finds an alias by ARN.
func (s *Service) aliasLocked(a string) (*machine, *aliasRecord, error) {
	base, q, err := machineArnParts(a)
	if err != nil {
		return nil, nil, err
	}
	if _, nerr := strconv.Atoi(q); q == "" || nerr == nil {
		return nil, nil, invalidArn(a)
	}
	m := s.machines[base]
	if m == nil || m.aliases[q] == nil {
		return nil, nil, errorf(CodeResourceNotFound, "Resource not found: '%s'", a)
	}
	return m, m.aliases[q], nil
}

// DescribeStateMachineAlias describes an alias.
func (s *Service) DescribeStateMachineAlias(_ context.Context, a string) (Alias, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, al, err := s.aliasLocked(a)
	if err != nil {
		return Alias{}, err
	}
	return Alias{StateMachineAliasArn: al.Arn, Name: al.Name, Description: al.Description, Routing: slices.Clone(al.Routing), CreationDate: al.Created, UpdateDate: al.Updated}, nil
}

// UpdateStateMachineAlias changes an alias's description or routing.
func (s *Service) UpdateStateMachineAlias(ctx context.Context, in AliasInput) (time.Time, error) {
	if in.Description == nil && in.Routing == nil {
		return time.Time{}, errorf(CodeMissingRequiredParameter, "Either the description or the routing configuration must be specified")
	}
	s.mu.Lock()
	m, al, err := s.aliasLocked(in.StateMachineAliasArn)
	if err == nil && in.Routing != nil {
		err = checkRouting(m, in.Routing)
	}
	if err != nil {
		s.mu.Unlock()
		return time.Time{}, err
	}
	if in.Description != nil {
		al.Description = *in.Description
	}
	if in.Routing != nil {
		al.Routing = in.Routing
	}
	al.Updated = s.now()
	done := s.store.Submit(al.change())
	s.mu.Unlock()
	return al.Updated, commit(done)
}

// DeleteStateMachineAlias deletes an alias; a missing one is not an error.
func (s *Service) DeleteStateMachineAlias(ctx context.Context, a string) error {
	s.mu.Lock()
	m, al, err := s.aliasLocked(a)
	if err != nil {
		s.mu.Unlock()
		if IsCode(err, CodeResourceNotFound) {
			return nil
		}
		return err
	}
	delete(m.aliases, al.Name)
	done := s.store.Submit(store.DeleteRecord{Kind: RecordAlias, Key: al.Arn})
	s.mu.Unlock()
	return commit(done)
}

// AliasListItem is one entry of ListStateMachineAliases.
type AliasListItem struct {
	StateMachineAliasArn string
	CreationDate         time.Time
}

// ListStateMachineAliases lists a state machine's aliases.
func (s *Service) ListStateMachineAliases(_ context.Context, a string, p Page) ([]AliasListItem, string, error) {
	s.mu.RLock()
	m, err := s.machineLocked(a)
	var all []AliasListItem
	if err == nil {
		for _, al := range m.aliases {
			all = append(all, AliasListItem{StateMachineAliasArn: al.Arn, CreationDate: al.Created})
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, "", err
	}
	slices.SortFunc(all, func(a, b AliasListItem) int { return strings.Compare(a.StateMachineAliasArn, b.StateMachineAliasArn) })
	return paginate(all, p)
}
