package flow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/store"
)

// Execution statuses beyond the engine's.
const statusPendingRedrive = "PENDING_REDRIVE"

// maxInput is AWS's limit on an execution's input (256 KiB).
const maxInput = 256 * 1024

// execution is one execution: its record, its history (STANDARD) and the
// goroutine running it.
type execution struct {
	// machine is the state machine's ARN (immutable, read without mu).
	machine string

	mu     sync.Mutex // guards rec, events and stop
	rec    execRecord
	events []engine.Event
	// stop is set by StopExecution while the run unwinds.
	stop *stopRequest

	cancel context.CancelCauseFunc
	done   chan struct{} // closed when the run has ended (or was halted)
	// engine is the run's interpreter; only the run's goroutine uses it.
	engine *engine.Execution
}

type stopRequest struct{ Error, Cause string }

// execRecord is an execution as stored.
type execRecord struct {
	Arn              string `json:"arn"`
	StateMachineArn  string `json:"stateMachineArn"`
	StateMachineName string `json:"stateMachineName"`
	Name             string `json:"name"`
	Account          string `json:"account"`
	Region           string `json:"region"`
	Type             string `json:"type"`
	// Definition is stored once, in its own record (the execution record
	// is rewritten at every checkpoint).
	Definition         string `json:"-"`
	RoleArn            string `json:"roleArn"`
	RevisionID         string `json:"revisionId,omitempty"`
	VersionArn         string `json:"versionArn,omitempty"`
	AliasArn           string `json:"aliasArn,omitempty"`
	Input              string `json:"input"`
	TraceHeader        string `json:"traceHeader,omitempty"`
	ParentExecutionArn string `json:"parentExecutionArn,omitempty"`
	// TestCase is the Step Functions Local mock test case the execution
	// was started with ("<stateMachineArn>#<TestCase>").
	TestCase string    `json:"testCase,omitempty"`
	Status   string    `json:"status"`
	Start    time.Time `json:"start"`
	Stop     time.Time `json:"stop,omitzero"`
	Output   *string   `json:"output,omitempty"`
	Error    string    `json:"error,omitempty"`
	Cause    string    `json:"cause,omitempty"`
	Events   int       `json:"events"`
	// RedriveCount, RedriveDate and RedriveTokens record the redrives
	// (redrive.go).
	RedriveCount  int            `json:"redriveCount,omitempty"`
	RedriveDate   time.Time      `json:"redriveDate,omitzero"`
	RedriveTokens []redriveToken `json:"redriveTokens,omitempty"`
}

func (r *execRecord) change() store.Change { return put(RecordExecution, r.Arn, r) }

func eventKey(execArn string, id int64) string { return fmt.Sprintf("%s/%09d", execArn, id) }

// info describes the execution to its Tasks; a mock test case rides on
// the state machine ARN as "<arn>#<TestCase>".
func (r *execRecord) info() ExecutionInfo {
	sm := r.StateMachineArn
	if r.TestCase != "" {
		sm += "#" + r.TestCase
	}
	return ExecutionInfo{
		Caller: Caller{Account: r.Account, Region: r.Region}, ExecutionArn: r.Arn, Name: r.Name,
		StateMachineArn: sm, StateMachineType: r.Type, RoleArn: r.RoleArn,
	}
}

func (r *execRecord) describe() ExecutionDescription {
	d := ExecutionDescription{
		ExecutionArn: r.Arn, StateMachineArn: r.StateMachineArn, Name: r.Name, Status: r.Status,
		StartDate: r.Start, StopDate: r.Stop, Input: r.Input, Output: r.Output, Error: r.Error, Cause: r.Cause,
		TraceHeader: r.TraceHeader, StateMachineVersionArn: r.VersionArn, StateMachineAliasArn: r.AliasArn,
		ParentExecutionArn: r.ParentExecutionArn, StateMachineType: r.Type, InputIncluded: true, OutputIncluded: true,
		RedriveCount: r.RedriveCount, RedriveDate: r.RedriveDate,
	}
	d.RedriveStatus, d.RedriveStatusReason = redriveState(r, time.Time{})
	return d
}

// executionArn builds a STANDARD execution's ARN.
func executionArn(m machineRecord, name string) string {
	return arn.ARN{Partition: arn.Partition(m.Region), Service: "states", Region: m.Region, Account: m.Account, Resource: "execution:" + m.Name + ":" + name}.String()
}

// expressArn builds an EXPRESS execution's ARN.
func expressArn(m machineRecord, name, id string) string {
	return arn.ARN{Partition: arn.Partition(m.Region), Service: "states", Region: m.Region, Account: m.Account, Resource: "express:" + m.Name + ":" + name + ":" + id}.String()
}

// checkExecutionArn parses an execution ARN; EXPRESS ones are not kept.
func checkExecutionArn(a string) error {
	p, err := arn.Parse(a)
	if err != nil || p.Service != "states" {
		return invalidArn(a)
	}
	kind, rest, _ := strings.Cut(p.Resource, ":")
	if kind != "execution" {
		return wrongResourceType(kind)
	}
	if sm, name, _ := strings.Cut(rest, ":"); sm == "" || name == "" {
		return invalidArn(a)
	}
	return nil
}

// executionFor finds a STANDARD execution (or a running EXPRESS one).
func (s *Service) executionFor(a string) (*execution, error) {
	if strings.Contains(a, ":express:") {
		s.mu.RLock()
		x := s.executions[a]
		s.mu.RUnlock()
		if x != nil {
			return x, nil
		}
	}
	if err := checkExecutionArn(a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	x := s.executions[a]
	s.mu.RUnlock()
	if x == nil {
		return nil, executionNotFound(a)
	}
	return x, nil
}

// target is what an execution runs: the machine and the definition of the
// version it resolved to.
type target struct {
	machine    machineRecord
	definition string
	roleArn    string
	revision   string
	versionArn string
	aliasArn   string
}

// resolveLocked finds what a state machine, version or alias ARN runs.
func (s *Service) resolveLocked(a string) (target, error) {
	m, err := s.machineLocked(a)
	if err != nil {
		return target{}, err
	}
	t := target{machine: m.rec, definition: m.rec.Definition, roleArn: m.rec.RoleArn, revision: m.rec.RevisionID}
	_, q, _ := machineArnParts(a)
	if q == "" {
		return t, nil
	}
	v := m.resolveQualifier(q)
	if al := m.aliases[q]; al != nil {
		t.aliasArn = al.Arn
		v = m.pickVersion(al, s.ids.UUID())
	}
	if v == nil {
		return target{}, stateMachineNotFound(a)
	}
	t.definition, t.roleArn, t.revision, t.versionArn = v.Definition, v.RoleArn, v.RevisionID, v.Arn
	return t, nil
}

// pickVersion routes an alias execution by weight, using the first bytes
// of a fresh UUID as the dice.
func (m *machine) pickVersion(al *aliasRecord, dice string) *versionRecord {
	roll := 0
	for _, c := range dice[:4] {
		roll = roll*16 + strings.IndexRune("0123456789abcdef", c)
	}
	roll %= 100
	for _, r := range al.Routing {
		if roll < r.Weight {
			n, _ := versionNumber(r.StateMachineVersionArn)
			return m.versions[n]
		}
		roll -= r.Weight
	}
	n, _ := versionNumber(al.Routing[len(al.Routing)-1].StateMachineVersionArn)
	return m.versions[n]
}

func checkInput(in string) (string, error) {
	if in == "" {
		return "{}", nil
	}
	if len(in) > maxInput {
		return "", errorf(CodeValidation, "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144")
	}
	if _, err := asl.Decode(in); err != nil {
		return "", errorf(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%s'", err.Error())
	}
	return in, nil
}

// StartExecution starts an execution. Starting a RUNNING STANDARD
// execution again with the same name and input answers as the first time;
// otherwise a used name is ExecutionAlreadyExists.
func (s *Service) StartExecution(ctx context.Context, in StartExecutionInput) (StartExecutionOutput, error) {
	input, err := checkInput(in.Input)
	if err != nil {
		return StartExecutionOutput{}, err
	}
	name := in.Name
	if name == "" {
		name = s.ids.UUID()
	}
	if err := checkName(name); err != nil {
		return StartExecutionOutput{}, err
	}
	smArn, testCase, _ := strings.Cut(in.StateMachineArn, "#")
	s.mu.Lock()
	t, err := s.resolveLocked(smArn)
	if err != nil {
		s.mu.Unlock()
		return StartExecutionOutput{}, err
	}
	rec := execRecord{
		TestCase:        testCase,
		StateMachineArn: t.machine.Arn, StateMachineName: t.machine.Name, Name: name,
		Account: t.machine.Account, Region: t.machine.Region, Type: t.machine.Type, Definition: t.definition,
		RoleArn: t.roleArn, RevisionID: t.revision, VersionArn: t.versionArn, AliasArn: t.aliasArn, Input: input,
		TraceHeader: in.TraceHeader, ParentExecutionArn: in.ParentExecutionArn, Status: engine.StatusRunning, Start: s.now(),
	}
	if rec.Type == TypeExpress {
		rec.Arn = expressArn(t.machine, name, s.ids.UUID())
		x := newExecution(rec)
		s.executions[rec.Arn] = x
		s.mu.Unlock()
		s.launch(x)
		return StartExecutionOutput{ExecutionArn: rec.Arn, StartDate: rec.Start}, nil
	}
	rec.Arn = executionArn(t.machine, name)
	if old := s.executions[rec.Arn]; old != nil {
		s.mu.Unlock()
		old.mu.Lock()
		defer old.mu.Unlock()
		if old.rec.Status == engine.StatusRunning && old.rec.Input == input {
			return StartExecutionOutput{ExecutionArn: old.rec.Arn, StartDate: old.rec.Start}, nil
		}
		return StartExecutionOutput{}, errorf(CodeExecutionAlreadyExists, "Execution Already Exists: '%s'", rec.Arn)
	}
	x := newExecution(rec)
	s.executions[rec.Arn] = x
	done := s.store.Submit(rec.change(), put(RecordExecutionDefinition, rec.Arn, rec.Definition))
	s.mu.Unlock()
	if err := commit(done); err != nil {
		s.mu.Lock()
		delete(s.executions, rec.Arn)
		s.mu.Unlock()
		return StartExecutionOutput{}, err
	}
	s.launch(x)
	return StartExecutionOutput{ExecutionArn: rec.Arn, StartDate: rec.Start}, nil
}

func newExecution(rec execRecord) *execution {
	return &execution{machine: rec.StateMachineArn, rec: rec, done: make(chan struct{})}
}

// SyncExecutionOutput is StartSyncExecution's answer.
type SyncExecutionOutput struct {
	ExecutionDescription
	BilledDuration time.Duration
}

// StartSyncExecution runs an EXPRESS execution to its end in the request.
func (s *Service) StartSyncExecution(ctx context.Context, in StartExecutionInput) (SyncExecutionOutput, error) {
	input, err := checkInput(in.Input)
	if err != nil {
		return SyncExecutionOutput{}, err
	}
	name := in.Name
	if name == "" {
		name = s.ids.UUID()
	}
	if err := checkName(name); err != nil {
		return SyncExecutionOutput{}, err
	}
	s.mu.RLock()
	t, err := s.resolveLocked(in.StateMachineArn)
	s.mu.RUnlock()
	if err != nil {
		return SyncExecutionOutput{}, err
	}
	if t.machine.Type != TypeExpress {
		return SyncExecutionOutput{}, typeNotSupported()
	}
	rec := execRecord{
		Arn: expressArn(t.machine, name, s.ids.UUID()), StateMachineArn: t.machine.Arn, StateMachineName: t.machine.Name,
		Name: name, Account: t.machine.Account, Region: t.machine.Region, Type: TypeExpress, Definition: t.definition,
		RoleArn: t.roleArn, VersionArn: t.versionArn, AliasArn: t.aliasArn, Input: input, TraceHeader: in.TraceHeader,
		Status: engine.StatusRunning, Start: s.now(),
	}
	x := newExecution(rec)
	runCtx, cancel := context.WithCancelCause(s.ctx)
	defer cancel(nil)
	x.cancel = cancel
	s.run(runCtx, x)
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.rec.Status == engine.StatusRunning {
		return SyncExecutionOutput{}, fmt.Errorf("flow: sync execution interrupted: %w", context.Cause(runCtx))
	}
	billed := x.rec.Stop.Sub(x.rec.Start)
	billed = (billed + 100*time.Millisecond - 1).Truncate(100 * time.Millisecond)
	return SyncExecutionOutput{ExecutionDescription: x.rec.describe(), BilledDuration: max(billed, 100*time.Millisecond)}, nil
}

// DescribeExecution describes a STANDARD execution.
func (s *Service) DescribeExecution(_ context.Context, a string) (ExecutionDescription, error) {
	if err := checkExecutionArn(a); err != nil {
		return ExecutionDescription{}, err
	}
	x, err := s.executionFor(a)
	if err != nil {
		return ExecutionDescription{}, err
	}
	now := s.now()
	x.mu.Lock()
	defer x.mu.Unlock()
	d := x.rec.describe()
	d.RedriveStatus, d.RedriveStatusReason = redriveState(&x.rec, now)
	return d, nil
}

// DescribeStateMachineForExecution returns the definition an execution
// runs.
func (s *Service) DescribeStateMachineForExecution(_ context.Context, a string) (StateMachine, time.Time, error) {
	if err := checkExecutionArn(a); err != nil {
		return StateMachine{}, time.Time{}, err
	}
	x, err := s.executionFor(a)
	if err != nil {
		return StateMachine{}, time.Time{}, err
	}
	x.mu.Lock()
	r := x.rec
	x.mu.Unlock()
	out := StateMachine{StateMachineArn: r.StateMachineArn, Name: r.StateMachineName, Definition: r.Definition, RoleArn: r.RoleArn, RevisionID: r.RevisionID}
	updated := r.Start
	s.mu.RLock()
	if m := s.machines[r.StateMachineArn]; m != nil {
		out.Logging, out.Tracing, out.Encryption = m.rec.Logging, m.rec.Tracing, m.rec.Encryption
		updated = m.rec.Created
		if !m.rec.Updated.IsZero() {
			updated = m.rec.Updated
		}
	}
	s.mu.RUnlock()
	return out, updated, nil
}

// ListExecutionsInput is ListExecutions's request.
type ListExecutionsInput struct {
	StateMachineArn string
	StatusFilter    string
	RedriveFilter   string
	Page            Page
}

// ExecutionListItem is one entry of ListExecutions.
type ExecutionListItem struct {
	ExecutionArn           string
	StateMachineArn        string
	Name                   string
	Status                 string
	StartDate              time.Time
	StopDate               time.Time
	StateMachineVersionArn string
	StateMachineAliasArn   string
	RedriveCount           int
	RedriveDate            time.Time
}

var statuses = []string{engine.StatusRunning, engine.StatusSucceeded, engine.StatusFailed, engine.StatusTimedOut, engine.StatusAborted, statusPendingRedrive}

// ListExecutions lists a state machine's (or version's or alias's)
// STANDARD executions, newest first.
func (s *Service) ListExecutions(_ context.Context, in ListExecutionsInput) ([]ExecutionListItem, string, error) {
	if in.StatusFilter != "" && !slices.Contains(statuses, in.StatusFilter) {
		return nil, "", constraint(in.StatusFilter, "statusFilter", "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]")
	}
	if err := checkRedriveFilter(in.RedriveFilter); err != nil {
		return nil, "", err
	}
	if in.StateMachineArn == "" {
		return nil, "", validation("Must provide a StateMachine ARN or MapRun ARN")
	}
	s.mu.RLock()
	m, err := s.machineLocked(in.StateMachineArn)
	if err != nil {
		s.mu.RUnlock()
		return nil, "", err
	}
	if m.rec.Type == TypeExpress {
		s.mu.RUnlock()
		return nil, "", typeNotSupported()
	}
	_, q, _ := machineArnParts(in.StateMachineArn)
	var xs []*execution
	for _, x := range s.executions {
		if x.machine == m.rec.Arn {
			xs = append(xs, x)
		}
	}
	s.mu.RUnlock()
	var all []ExecutionListItem
	for _, x := range xs {
		x.mu.Lock()
		r := x.rec
		x.mu.Unlock()
		if in.StatusFilter != "" && r.Status != in.StatusFilter || !redriveFilterMatches(in.RedriveFilter, &r) {
			continue
		}
		if q != "" && r.VersionArn != in.StateMachineArn && r.AliasArn != in.StateMachineArn {
			continue
		}
		all = append(all, ExecutionListItem{
			ExecutionArn: r.Arn, StateMachineArn: r.StateMachineArn, Name: r.Name, Status: r.Status,
			StartDate: r.Start, StopDate: r.Stop, StateMachineVersionArn: r.VersionArn, StateMachineAliasArn: r.AliasArn,
			RedriveCount: r.RedriveCount, RedriveDate: r.RedriveDate,
		})
	}
	slices.SortFunc(all, func(a, b ExecutionListItem) int {
		if c := b.StartDate.Compare(a.StartDate); c != 0 {
			return c
		}
		return strings.Compare(a.ExecutionArn, b.ExecutionArn)
	})
	return paginate(all, in.Page)
}

// HistoryInput is GetExecutionHistory's request.
type HistoryInput struct {
	ExecutionArn string
	Reverse      bool
	Page         Page
}

// GetExecutionHistory returns a STANDARD execution's durable events.
func (s *Service) GetExecutionHistory(_ context.Context, in HistoryInput) ([]engine.Event, string, error) {
	if err := checkExecutionArn(in.ExecutionArn); err != nil {
		return nil, "", err
	}
	x, err := s.executionFor(in.ExecutionArn)
	if err != nil {
		return nil, "", err
	}
	x.mu.Lock()
	evs := slices.Clone(x.events)
	x.mu.Unlock()
	if in.Reverse {
		slices.Reverse(evs)
	}
	return paginate(evs, in.Page)
}

// StopExecution stops a running execution: it records ExecutionAborted
// before it answers. Stopping an execution that has ended changes nothing.
func (s *Service) StopExecution(ctx context.Context, a, errName, cause string) error {
	_, err := s.StopExecutionDate(ctx, a, errName, cause)
	return err
}

// StopExecutionDate is StopExecution answering with the stop date.
func (s *Service) StopExecutionDate(ctx context.Context, a, errName, cause string) (time.Time, error) {
	if len(errName) > 256 {
		return time.Time{}, constraint(errName, "error", "Member must have length less than or equal to 256")
	}
	if len(cause) > 32768 {
		return time.Time{}, constraint("...", "cause", "Member must have length less than or equal to 32768")
	}
	x, err := s.executionFor(a)
	if err != nil {
		return time.Time{}, err
	}
	x.mu.Lock()
	if x.rec.Status != engine.StatusRunning {
		stop := x.rec.Stop
		x.mu.Unlock()
		return stop, nil
	}
	if x.stop == nil {
		x.stop = &stopRequest{Error: errName, Cause: cause}
	}
	cancel := x.cancel
	x.mu.Unlock()
	if cancel != nil {
		cancel(errStopped)
	}
	select {
	case <-x.done:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.rec.Status == engine.StatusRunning {
		return time.Time{}, fmt.Errorf("flow: execution %s could not be stopped", a)
	}
	return x.rec.Stop, nil
}

// WaitExecution blocks until the execution ends and describes it.
func (s *Service) WaitExecution(ctx context.Context, a string) (ExecutionDescription, error) {
	x, err := s.executionFor(a)
	if err != nil {
		return ExecutionDescription{}, err
	}
	select {
	case <-x.done:
	case <-ctx.Done():
		return ExecutionDescription{}, ctx.Err()
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.rec.Status == engine.StatusRunning {
		return ExecutionDescription{}, fmt.Errorf("flow: %s was interrupted: %w", a, s.ctx.Err())
	}
	return x.rec.describe(), nil
}

func (s *Service) loadExecutions(ctx context.Context) ([]*execution, error) {
	recs, err := load[execRecord](ctx, s.store, RecordExecution)
	if err != nil {
		return nil, err
	}
	events, err := s.store.LoadRecords(ctx, RecordEvent)
	if err != nil {
		return nil, fmt.Errorf("flow: load events: %w", err)
	}
	defs, err := s.store.LoadRecords(ctx, RecordExecutionDefinition)
	if err != nil {
		return nil, fmt.Errorf("flow: load definitions: %w", err)
	}
	definitions := make(map[string]string, len(defs))
	for _, r := range defs {
		var d string
		if err := json.Unmarshal(r.Data, &d); err != nil {
			return nil, fmt.Errorf("flow: definition %s: %w", r.Key, err)
		}
		definitions[r.Key] = d
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var running []*execution
	for _, r := range recs {
		r.Definition = definitions[r.Arn]
		x := newExecution(r)
		s.executions[r.Arn] = x
		if r.Status == engine.StatusRunning {
			running = append(running, x)
		} else {
			close(x.done)
		}
	}
	for _, r := range events {
		execArn := r.Key[:strings.LastIndexByte(r.Key, '/')]
		x := s.executions[execArn]
		if x == nil {
			continue
		}
		var ev engine.Event
		if err := ev.UnmarshalJSON(r.Data); err != nil {
			return nil, fmt.Errorf("flow: event %s: %w", r.Key, err)
		}
		x.events = append(x.events, ev)
	}
	for _, x := range s.executions {
		// A crash may have left events past the record's count (written in
		// the same Apply, so this does not happen) or fewer; trust events.
		x.rec.Events = len(x.events)
	}
	return running, nil
}
