package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/mockshape"
)

// TestState statuses.
const (
	TestSucceeded   = "SUCCEEDED"
	TestFailed      = "FAILED"
	TestRetriable   = "RETRIABLE"
	TestCaughtError = "CAUGHT_ERROR"
)

// TestStateInput is a TestState request.
type TestStateInput struct {
	// Definition is one state, or a whole state machine with StateName
	// naming the state to test.
	Definition      string
	StateName       *string
	RoleArn         string
	Input           string
	InspectionLevel string
	// Variables and Context are JSON texts, empty when not given.
	Variables string
	Context   string
	Mock      *TestMock
	Config    TestStateConfig
}

// TestMock replaces the state's task, Map or Parallel result.
type TestMock struct {
	// Result is JSON text.
	Result      *string
	ErrorOutput *MockError
	// FieldValidationMode is how a Task's Result is checked against the
	// output shape of the API the Task calls: STRICT (the default),
	// PRESENT or NONE.
	FieldValidationMode string
}

// MockError is a mocked failure.
type MockError struct{ Error, Cause string }

// TestStateConfig is TestState's stateConfiguration.
type TestStateConfig struct {
	RetrierRetryCount        *int
	ErrorCausedByState       string
	MapIterationFailureCount *int
	// MapItemReaderData is JSON text standing for what an ItemReader reads.
	MapItemReaderData string
}

// TestStateOutput is a TestState response.
type TestStateOutput struct {
	Output     *string
	Error      string
	Cause      string
	NextState  string
	Status     string
	Inspection map[string]any
}

// RequestError is a TestState request AWS rejects (ValidationException,
// InvalidDefinition).
type RequestError struct{ Code, Message string }

func (e *RequestError) Error() string { return e.Code + ": " + e.Message }

// testRun is the state of a TestState evaluation.
type testRun struct {
	in      TestStateInput
	mock    any
	inspect map[string]any
	status  string
	details map[string]any
	caught  *Failure
}

// TestState evaluates one state as the TestState API does.
func TestState(ctx context.Context, cfg Config, in TestStateInput) (TestStateOutput, error) {
	st, sm, name, err := testTarget(in)
	if err != nil {
		return TestStateOutput{}, err
	}
	tr := &testRun{in: in, status: TestSucceeded, details: map[string]any{}}
	if in.InspectionLevel == "DEBUG" || in.InspectionLevel == "TRACE" {
		tr.inspect = map[string]any{}
	}
	if err := tr.checkMock(st); err != nil {
		return TestStateOutput{}, err
	}
	if err := checkContext(in.Context, st); err != nil {
		return TestStateOutput{}, err
	}
	input := cmpOr(in.Input, "{}")
	smName := "TestStateMachine"
	execName := cfg.NewID()
	e := New(cfg, sm, Start{
		ExecutionArn:     fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s", cfg.Region, accountOf(in.RoleArn, cfg.Account), smName, execName),
		Name:             execName,
		StateMachineArn:  fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", cfg.Region, accountOf(in.RoleArn, cfg.Account), smName),
		StateMachineName: smName,
		RoleArn:          in.RoleArn,
		Input:            input,
	})
	e.test = tr
	e.started = cfg.Clock.Now()
	if e.input, err = asl.Decode(input); err != nil {
		return TestStateOutput{}, &RequestError{"ValidationException", "Invalid input: " + err.Error()}
	}
	sc := &scope{exec: e, vars: newVars(nil)}
	if in.Variables != "" {
		v, err := asl.Decode(in.Variables)
		m, ok := v.(map[string]any)
		if err != nil || !ok {
			return TestStateOutput{}, &RequestError{"ValidationException", "Invalid variables: must be a JSON object"}
		}
		sc.vars.m = m
	}
	_ = name
	tr.inspectSet("input", e.input)
	out, next, f := sc.runState(ctx, &thread{}, st, e.input)
	if tr.inspect != nil && in.Variables != "" {
		tr.inspectSet("variables", sc.vars.all())
	}
	return tr.result(out, next, f), nil
}

func (tr *testRun) result(out any, next string, f *Failure) TestStateOutput {
	res := TestStateOutput{Status: tr.status, Inspection: tr.inspect}
	if len(tr.details) > 0 && tr.inspect != nil {
		tr.inspect["errorDetails"] = tr.details
	}
	if f != nil {
		res.Error, res.Cause = f.Error, f.Cause
		if res.Status == TestSucceeded {
			res.Status = TestFailed
		}
		return res
	}
	if tr.caught != nil {
		res.Error, res.Cause = tr.caught.Error, tr.caught.Cause
	}
	text := encode(out)
	res.Output = &text
	res.NextState = next
	return res
}

// inspection returns the inspection data being collected, or nil.
func (tr *testRun) inspection() map[string]any {
	if tr == nil {
		return nil
	}
	return tr.inspect
}

func (tr *testRun) inspectSet(key string, v any) {
	if tr != nil && tr.inspect != nil {
		tr.inspect[key] = v
	}
}

func cmpOr(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func accountOf(roleArn, dflt string) string {
	parts := strings.Split(roleArn, ":")
	if len(parts) > 4 && parts[4] != "" {
		return parts[4]
	}
	return dflt
}

// testTarget parses the definition and finds the state to test.
func testTarget(in TestStateInput) (*asl.State, *asl.StateMachine, string, error) {
	raw, err := asl.Decode(in.Definition)
	doc, ok := raw.(map[string]any)
	if err != nil || !ok {
		return nil, nil, "", &RequestError{"InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'"}
	}
	text := in.Definition
	name := "StateName"
	if _, single := doc["Type"]; single {
		text = wrapState(doc, name)
	} else if in.StateName != nil {
		name = *in.StateName
	} else {
		name, _ = doc["StartAt"].(string)
	}
	sm, err := asl.Parse(text, asl.Options{Express: true})
	if err != nil {
		return nil, nil, "", &RequestError{"InvalidDefinition", err.Error()}
	}
	st := findState(sm, name)
	if st == nil {
		return nil, nil, "", &RequestError{"ValidationException", "State not found in definition"}
	}
	return st, sm, name, nil
}

// wrapState makes a one-state definition a state machine, adding a
// placeholder for every state it may transition to.
func wrapState(state map[string]any, name string) string {
	states := map[string]any{name: state}
	add := func(v any) {
		if s, ok := v.(string); ok && s != name {
			states[s] = map[string]any{"Type": "Succeed"}
		}
	}
	add(state["Next"])
	add(state["Default"])
	for _, key := range []string{"Choices", "Catch"} {
		list, _ := state[key].([]any)
		for _, c := range list {
			if m, ok := c.(map[string]any); ok {
				add(m["Next"])
			}
		}
	}
	b, _ := json.Marshal(map[string]any{"StartAt": name, "States": states})
	return string(b)
}

func findState(sm *asl.StateMachine, name string) *asl.State {
	if sm == nil {
		return nil
	}
	if st, ok := sm.States[name]; ok {
		return st
	}
	for _, st := range sm.States {
		for _, b := range st.Branches {
			if f := findState(b, name); f != nil {
				return f
			}
		}
		if f := findState(st.Processor, name); f != nil {
			return f
		}
	}
	return nil
}

// checkMock applies TestState's mock validations.
func (tr *testRun) checkMock(st *asl.State) error {
	m := tr.in.Mock
	if m == nil {
		return nil
	}
	mode, ok := mockshape.ParseMode(m.FieldValidationMode)
	if !ok {
		return &RequestError{"ValidationException", "1 validation error detected: Value '" + m.FieldValidationMode +
			"' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]"}
	}
	if m.Result != nil && m.ErrorOutput != nil {
		return &RequestError{"ValidationException", "A test mock should have only one of the following fields: [result, errorOutput]."}
	}
	switch st.Type {
	case asl.TypeTask, asl.TypeMap, asl.TypeParallel:
	default:
		return &RequestError{"ValidationException", fmt.Sprintf("State type '%s' is not supported when a mock is specified", st.Type)}
	}
	if m.Result == nil {
		return nil
	}
	v, err := asl.Decode(*m.Result)
	if err != nil {
		return &RequestError{"ValidationException", "Mocked result must be valid JSON."}
	}
	tr.mock = v
	list, isList := v.([]any)
	switch st.Type {
	case asl.TypeTask:
		return checkMockShape(st.Resource, v, mode)
	case asl.TypeParallel:
		if !isList {
			return &RequestError{"ValidationException", "Mocked result must be an array."}
		}
		if len(list) != len(st.Branches) {
			return &RequestError{"ValidationException", "Mocked result must contain the same number of items as number of Parallel branches."}
		}
	case asl.TypeMap:
		if !isList {
			return &RequestError{"ValidationException", "Mocked result must be an array."}
		}
		if n := tr.in.Config.MapIterationFailureCount; n != nil && *n > len(list) {
			return &RequestError{"ValidationException", "Map iteration failure count must be less than or equal to the number of Map iterations"}
		}
	}
	return nil
}

// checkMockShape checks a Task's mocked result against the output shape
// of the API its resource calls.
func checkMockShape(resource string, result any, mode mockshape.Mode) error {
	err := mockshape.Check(resource, result, mode)
	var se *mockshape.Error
	if errors.As(err, &se) {
		return &RequestError{"ValidationException", "Mock result schema validation error: " + se.Message}
	}
	return err
}

// mocked returns the mocked outcome of a Task, Map or Parallel state.
func (tr *testRun) mocked() (any, *Failure, bool) {
	if tr == nil || tr.in.Mock == nil {
		return nil, nil, false
	}
	if eo := tr.in.Mock.ErrorOutput; eo != nil {
		return nil, &Failure{Error: eo.Error, Cause: eo.Cause}, true
	}
	return tr.mock, nil, true
}

// testRetry is withRetry for TestState: one attempt, then the status a
// real run would reach next (RETRIABLE, CAUGHT_ERROR or FAILED).
func (r *run) testRetry(attempt func() (any, *Failure)) (any, string, *Failure) {
	tr := r.sc.exec.test
	out, f := attempt()
	if f == nil {
		return out, "", nil
	}
	if f.Error != ErrRuntime && f.Error != ErrDataLimitExceeded {
		count := 0
		if tr.in.Config.RetrierRetryCount != nil {
			count = *tr.in.Config.RetrierRetryCount
		}
		for i, rt := range r.st.Retry {
			if !matches(rt.ErrorEquals, f.Error) {
				continue
			}
			tr.details["retryIndex"] = i
			if int64(count) < rt.MaxAttempts {
				secs := float64(rt.IntervalSeconds) * pow(rt.BackoffRate, count)
				if rt.MaxDelaySeconds > 0 && secs > float64(rt.MaxDelaySeconds) {
					secs = float64(rt.MaxDelaySeconds)
				}
				tr.details["retryBackoffIntervalSeconds"] = int64(secs)
				tr.status = TestRetriable
				return nil, "", f
			}
			break
		}
		for i, c := range r.st.Catch {
			if matches(c.ErrorEquals, f.Error) {
				tr.details["catchIndex"] = i
				out, next, ff := r.catch(f)
				if ff == nil {
					tr.status = TestCaughtError
					tr.caught = f
				}
				return out, next, ff
			}
		}
	}
	return nil, "", f
}

func pow(b float64, n int) float64 {
	out := 1.0
	for range n {
		out *= b
	}
	return out
}

// checkContext applies TestState's rules for a given context object.
func checkContext(text string, st *asl.State) error {
	if text == "" {
		return nil
	}
	invalid := func(msg string) error {
		return &RequestError{"ValidationException", "Invalid Context object provided: " + msg}
	}
	v, err := asl.Decode(text)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		return invalid("must be a JSON object")
	}
	for _, k := range sortedKeys(m) {
		switch k {
		case "Execution", "State", "StateMachine":
		case "Map":
			return invalid("'Map' field is not supported when mocking a Context object")
		case "Task":
			if st.Type != asl.TypeTask || !(strings.Contains(st.Resource, ".sync") || strings.HasSuffix(st.Resource, ".waitForTaskToken")) {
				return invalid("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern")
			}
		default:
			return invalid(fmt.Sprintf("Field '%s' is not allowed", k))
		}
	}
	if ex, ok := m["Execution"].(map[string]any); ok {
		for _, k := range []string{"Id", "Name", "RoleArn", "StartTime"} {
			if x, ok := ex[k]; ok {
				if _, isStr := x.(string); !isStr {
					return invalid(fmt.Sprintf("Execution.%s must be a string", k))
				}
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
