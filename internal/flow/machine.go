package flow

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/store"
)

// State machine types.
const (
	TypeStandard = "STANDARD"
	TypeExpress  = "EXPRESS"
)

// Tag is a resource tag.
type Tag struct{ Key, Value string }

// machine is a state machine with its versions and aliases.
type machine struct {
	rec      machineRecord
	versions map[int]*versionRecord
	aliases  map[string]*aliasRecord // by name
}

// machineRecord is a state machine as stored.
type machineRecord struct {
	Arn         string          `json:"arn"`
	Account     string          `json:"account"`
	Region      string          `json:"region"`
	Name        string          `json:"name"`
	Type        string          `json:"type"`
	Definition  string          `json:"definition"`
	RoleArn     string          `json:"roleArn"`
	Logging     json.RawMessage `json:"logging,omitempty"`
	Tracing     json.RawMessage `json:"tracing,omitempty"`
	Encryption  json.RawMessage `json:"encryption,omitempty"`
	Created     time.Time       `json:"created"`
	Updated     time.Time       `json:"updated,omitzero"`
	RevisionID  string          `json:"revisionId"`
	Tags        []Tag           `json:"tags,omitempty"`
	NextVersion int             `json:"nextVersion"`
}

func (r machineRecord) change() store.Change { return put(RecordStateMachine, r.Arn, r) }

// StateMachineConfig is the part of a state machine Create and Update set.
type StateMachineConfig struct {
	Definition string
	RoleArn    string
	// Logging, Tracing and Encryption are the configurations as JSON
	// (nil: not given).
	Logging    json.RawMessage
	Tracing    json.RawMessage
	Encryption json.RawMessage
}

// CreateStateMachineInput is CreateStateMachine's request.
type CreateStateMachineInput struct {
	Caller             Caller
	Name               string
	Type               string
	Config             StateMachineConfig
	Tags               []Tag
	Publish            bool
	VersionDescription string
}

// CreateStateMachineOutput is CreateStateMachine's answer.
type CreateStateMachineOutput struct {
	StateMachineArn        string
	CreationDate           time.Time
	StateMachineVersionArn string
}

// StateMachine is DescribeStateMachine's answer.
type StateMachine struct {
	StateMachineArn string
	Name            string
	Status          string
	Definition      string
	RoleArn         string
	Type            string
	CreationDate    time.Time
	Logging         json.RawMessage
	Tracing         json.RawMessage
	Encryption      json.RawMessage
	RevisionID      string
	Description     string
	// Label is set when a Map Run's ARN was described.
	Label string
}

// StateMachineListItem is one entry of ListStateMachines.
type StateMachineListItem struct {
	StateMachineArn string
	Name            string
	Type            string
	CreationDate    time.Time
}

// stateMachineArn builds a state machine's ARN.
func stateMachineArn(c Caller, name string) string {
	return arn.ARN{Partition: arn.Partition(c.Region), Service: "states", Region: c.Region, Account: c.Account, Resource: "stateMachine:" + name}.String()
}

// checkName applies AWS's rules for state machine, execution, activity
// and alias names.
func checkName(name string) error {
	if name == "" || len(name) > 80 {
		return invalidName(name)
	}
	for _, r := range name {
		if r <= ' ' || (r >= 0x7f && r <= 0x9f) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return invalidName(name)
		}
	}
	return nil
}

// checkType validates a state machine type; "" is STANDARD.
func checkType(t string) (string, error) {
	switch t {
	case "", TypeStandard:
		return TypeStandard, nil
	case TypeExpress:
		return TypeExpress, nil
	}
	return "", constraint(t, "type", "Member must satisfy enum value set: [STANDARD, EXPRESS]")
}

// checkConfig validates a definition and the configurations.
func checkConfig(cfg StateMachineConfig, typ string) error {
	if cfg.RoleArn != "" {
		if _, err := arn.Parse(cfg.RoleArn); err != nil {
			return invalidArn(cfg.RoleArn)
		}
	}
	if len(cfg.Definition) > asl.MaxDefinitionBytes {
		return constraint("...", "definition", "Member must have length less than or equal to 1048576")
	}
	if _, err := asl.Parse(cfg.Definition, asl.Options{Express: typ == TypeExpress}); err != nil {
		var ae *asl.Error
		if errors.As(err, &ae) {
			return errorf(CodeInvalidDefinition, "%s", ae.Error())
		}
		return errorf(CodeInvalidDefinition, "Invalid State Machine Definition: '%s'", err.Error())
	}
	return checkLogging(cfg.Logging)
}

// checkLogging applies AWS's rules for loggingConfiguration.
func checkLogging(raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	var lc struct {
		Level        string            `json:"level"`
		Destinations []json.RawMessage `json:"destinations"`
	}
	if err := json.Unmarshal(raw, &lc); err != nil {
		return errorf(CodeInvalidLoggingConfiguration, "Invalid Logging Configuration: %s", err.Error())
	}
	switch lc.Level {
	case "", "OFF":
		if len(lc.Destinations) > 1 {
			return errorf(CodeInvalidLoggingConfiguration, "Invalid Logging Configuration: Must specify exactly one Log Destination.")
		}
	case "ALL", "ERROR", "FATAL":
		if len(lc.Destinations) != 1 {
			return errorf(CodeInvalidLoggingConfiguration, "Invalid Logging Configuration: Must specify exactly one Log Destination.")
		}
	default:
		return constraint(lc.Level, "loggingConfiguration.level", "Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]")
	}
	return nil
}

// CreateStateMachine creates a state machine. Creating one that exists
// with the same configuration answers as the first time (AWS's
// idempotency); a different one is StateMachineAlreadyExists.
func (s *Service) CreateStateMachine(ctx context.Context, in CreateStateMachineInput) (CreateStateMachineOutput, error) {
	typ, err := checkType(in.Type)
	if err != nil {
		return CreateStateMachineOutput{}, err
	}
	if err := checkName(in.Name); err != nil {
		return CreateStateMachineOutput{}, err
	}
	if in.VersionDescription != "" && !in.Publish {
		return CreateStateMachineOutput{}, validation("Version description can only be set when publish is true")
	}
	if err := checkConfig(in.Config, typ); err != nil {
		return CreateStateMachineOutput{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return CreateStateMachineOutput{}, err
	}
	if len(mergeTags(nil, in.Tags)) > maxTags {
		return CreateStateMachineOutput{}, errorf(CodeTooManyTags, "Too many tags: a resource can have at most %d tags.", maxTags)
	}
	a := stateMachineArn(in.Caller, in.Name)
	s.mu.Lock()
	if m := s.machines[a]; m != nil {
		s.mu.Unlock()
		if m.rec.Type == typ && sameConfig(m.rec, in.Config) && !in.Publish {
			return CreateStateMachineOutput{StateMachineArn: a, CreationDate: m.rec.Created}, nil
		}
		return CreateStateMachineOutput{}, errorf(CodeStateMachineAlreadyExists, "State Machine Already Exists: '%s'", a)
	}
	now := s.now()
	m := &machine{rec: machineRecord{
		Arn: a, Account: in.Caller.Account, Region: in.Caller.Region, Name: in.Name, Type: typ,
		Definition: in.Config.Definition, RoleArn: in.Config.RoleArn, Logging: in.Config.Logging,
		Tracing: in.Config.Tracing, Encryption: in.Config.Encryption, Created: now,
		RevisionID: s.ids.UUID(), Tags: mergeTags(nil, in.Tags), NextVersion: 1,
	}, versions: map[int]*versionRecord{}, aliases: map[string]*aliasRecord{}}
	changes := []store.Change{}
	out := CreateStateMachineOutput{StateMachineArn: a, CreationDate: now}
	if in.Publish {
		v := m.publish(now, in.VersionDescription)
		out.StateMachineVersionArn = v.Arn
		changes = append(changes, v.change())
	}
	changes = append(changes, m.rec.change())
	s.machines[a] = m
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return out, commit(done)
}

func sameConfig(r machineRecord, c StateMachineConfig) bool {
	return r.Definition == c.Definition && r.RoleArn == c.RoleArn && jsonEqual(r.Logging, c.Logging) && jsonEqual(r.Tracing, c.Tracing)
}

func jsonEqual(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	_ = json.Unmarshal(a, &x)
	_ = json.Unmarshal(b, &y)
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

// commit waits for submitted changes.
func commit(done <-chan error) error {
	if err := <-done; err != nil {
		return errors.Join(errors.New("flow: commit"), err)
	}
	return nil
}

// machineArnParts parses a state machine ARN, a version ARN
// (…:stateMachine:name:3) or an alias ARN (…:stateMachine:name:alias).
func machineArnParts(a string) (base, qualifier string, err error) {
	p, perr := arn.Parse(a)
	if perr != nil || p.Service != "states" {
		return "", "", invalidArn(a)
	}
	kind, rest, _ := strings.Cut(p.Resource, ":")
	if kind != "stateMachine" {
		return "", "", wrongResourceType(kind)
	}
	name, q, _ := strings.Cut(rest, ":")
	if name == "" {
		return "", "", invalidArn(a)
	}
	p.Resource = "stateMachine:" + name
	return p.String(), q, nil
}

// machineLocked finds a state machine by its unqualified ARN.
func (s *Service) machineLocked(a string) (*machine, error) {
	base, q, err := machineArnParts(a)
	if err != nil {
		return nil, err
	}
	m := s.machines[base]
	if m == nil || q != "" && m.resolveQualifier(q) == nil {
		return nil, stateMachineNotFound(a)
	}
	return m, nil
}

// DescribeStateMachine describes a state machine, version or alias target.
func (s *Service) DescribeStateMachine(_ context.Context, a string) (StateMachine, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := s.machineLocked(a)
	if err != nil {
		return StateMachine{}, err
	}
	_, q, _ := machineArnParts(a)
	out := m.describe()
	if v := m.resolveQualifier(q); v != nil {
		if _, isAlias := m.aliases[q]; !isAlias {
			out.StateMachineArn, out.Definition, out.RoleArn = v.Arn, v.Definition, v.RoleArn
			out.RevisionID, out.Description, out.CreationDate = v.RevisionID, v.Description, v.Created
		}
	}
	return out, nil
}

func (m *machine) describe() StateMachine {
	r := m.rec
	return StateMachine{
		StateMachineArn: r.Arn, Name: r.Name, Status: "ACTIVE", Definition: r.Definition, RoleArn: r.RoleArn,
		Type: r.Type, CreationDate: r.Created, Logging: r.Logging, Tracing: r.Tracing, Encryption: r.Encryption,
		RevisionID: r.RevisionID,
	}
}

// UpdateStateMachineInput is UpdateStateMachine's request.
type UpdateStateMachineInput struct {
	StateMachineArn    string
	Definition         *string
	RoleArn            *string
	Logging            json.RawMessage
	Tracing            json.RawMessage
	Encryption         json.RawMessage
	Publish            bool
	VersionDescription string
}

// UpdateStateMachineOutput is UpdateStateMachine's answer.
type UpdateStateMachineOutput struct {
	UpdateDate             time.Time
	RevisionID             string
	StateMachineVersionArn string
}

// UpdateStateMachine changes a state machine; executions already started
// keep the definition they started with.
func (s *Service) UpdateStateMachine(ctx context.Context, in UpdateStateMachineInput) (UpdateStateMachineOutput, error) {
	if in.Definition == nil && in.RoleArn == nil && in.Logging == nil && in.Tracing == nil && in.Encryption == nil && !in.Publish {
		return UpdateStateMachineOutput{}, errorf(CodeMissingRequiredParameter, "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified")
	}
	if in.VersionDescription != "" && !in.Publish {
		return UpdateStateMachineOutput{}, validation("Version description can only be set when publish is true")
	}
	s.mu.Lock()
	m, err := s.machineLocked(in.StateMachineArn)
	if err == nil {
		if _, q, _ := machineArnParts(in.StateMachineArn); q != "" {
			err = invalidArn(in.StateMachineArn)
		}
	}
	if err != nil {
		s.mu.Unlock()
		return UpdateStateMachineOutput{}, err
	}
	rec := m.rec
	cfg := StateMachineConfig{
		Definition: deref(in.Definition, rec.Definition), RoleArn: deref(in.RoleArn, rec.RoleArn),
		Logging: cmpRaw(in.Logging, rec.Logging), Tracing: cmpRaw(in.Tracing, rec.Tracing), Encryption: cmpRaw(in.Encryption, rec.Encryption),
	}
	if err := checkConfig(cfg, rec.Type); err != nil {
		s.mu.Unlock()
		return UpdateStateMachineOutput{}, err
	}
	now := s.now()
	if cfg.Definition != rec.Definition || cfg.RoleArn != rec.RoleArn {
		rec.RevisionID = s.ids.UUID()
	}
	rec.Definition, rec.RoleArn, rec.Logging, rec.Tracing, rec.Encryption = cfg.Definition, cfg.RoleArn, cfg.Logging, cfg.Tracing, cfg.Encryption
	rec.Updated = now
	m.rec = rec
	out := UpdateStateMachineOutput{UpdateDate: now, RevisionID: rec.RevisionID}
	var changes []store.Change
	if in.Publish {
		v := m.publish(now, in.VersionDescription)
		out.StateMachineVersionArn = v.Arn
		changes = append(changes, v.change())
	}
	changes = append(changes, m.rec.change())
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return out, commit(done)
}

func deref(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func cmpRaw(a, b json.RawMessage) json.RawMessage {
	if a != nil {
		return a
	}
	return b
}

// DeleteStateMachine deletes a state machine with its versions and
// aliases. Deleting one that does not exist succeeds, as AWS.
func (s *Service) DeleteStateMachine(ctx context.Context, a string) error {
	base, q, err := machineArnParts(a)
	if err != nil {
		return err
	}
	if q != "" {
		return invalidArn(a)
	}
	s.mu.Lock()
	m := s.machines[base]
	if m == nil {
		s.mu.Unlock()
		return nil
	}
	delete(s.machines, base)
	changes := []store.Change{store.DeleteRecord{Kind: RecordStateMachine, Key: base}}
	for _, v := range m.versions {
		changes = append(changes, store.DeleteRecord{Kind: RecordVersion, Key: v.Arn})
	}
	for _, al := range m.aliases {
		changes = append(changes, store.DeleteRecord{Kind: RecordAlias, Key: al.Arn})
	}
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return commit(done)
}

// ListStateMachines lists the caller's state machines by name.
func (s *Service) ListStateMachines(_ context.Context, c Caller, p Page) ([]StateMachineListItem, string, error) {
	s.mu.RLock()
	var all []StateMachineListItem
	for _, m := range s.machines {
		if m.rec.Account == c.Account && m.rec.Region == c.Region {
			all = append(all, StateMachineListItem{StateMachineArn: m.rec.Arn, Name: m.rec.Name, Type: m.rec.Type, CreationDate: m.rec.Created})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b StateMachineListItem) int { return strings.Compare(a.StateMachineArn, b.StateMachineArn) })
	return paginate(all, p)
}

func (s *Service) loadMachines(ctx context.Context) error {
	recs, err := load[machineRecord](ctx, s.store, RecordStateMachine)
	if err != nil {
		return err
	}
	versions, err := load[versionRecord](ctx, s.store, RecordVersion)
	if err != nil {
		return err
	}
	aliases, err := load[aliasRecord](ctx, s.store, RecordAlias)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.machines[r.Arn] = &machine{rec: r, versions: map[int]*versionRecord{}, aliases: map[string]*aliasRecord{}}
	}
	for _, v := range versions {
		if m := s.machines[v.StateMachineArn]; m != nil {
			m.versions[v.Number] = &v
		}
	}
	for _, al := range aliases {
		if m := s.machines[al.StateMachineArn]; m != nil {
			m.aliases[al.Name] = &al
		}
	}
	return nil
}

// ValidateDefinitionInput is ValidateStateMachineDefinition's request.
type ValidateDefinitionInput struct {
	Definition string
	Type       string
	Severity   string
	MaxResults int
}

// Diagnostic is one ValidateStateMachineDefinition finding.
type Diagnostic struct {
	Severity, Code, Message, Location string
}

// ValidateStateMachineDefinition reports a definition's problems without
// creating anything.
func (s *Service) ValidateStateMachineDefinition(_ context.Context, in ValidateDefinitionInput) (string, []Diagnostic, bool, error) {
	typ, err := checkType(in.Type)
	if err != nil {
		return "", nil, false, err
	}
	_, perr := asl.Parse(in.Definition, asl.Options{Express: typ == TypeExpress})
	var ae *asl.Error
	if perr == nil || !errors.As(perr, &ae) {
		return "OK", []Diagnostic{}, false, nil
	}
	max := in.MaxResults
	if max <= 0 {
		max = 100
	}
	out := make([]Diagnostic, 0, len(ae.Diagnostics))
	for _, d := range ae.Diagnostics {
		out = append(out, Diagnostic{Severity: "ERROR", Code: d.Code, Message: d.Message, Location: d.Location})
	}
	truncated := len(out) > max
	if truncated {
		out = out[:max]
	}
	return "FAIL", out, truncated, nil
}
