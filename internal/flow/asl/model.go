package asl

import "encoding/json"

// Query languages a definition or a state may use.
const (
	JSONPath = "JSONPath"
	JSONata  = "JSONata"
)

// State types.
const (
	TypePass     = "Pass"
	TypeTask     = "Task"
	TypeChoice   = "Choice"
	TypeWait     = "Wait"
	TypeSucceed  = "Succeed"
	TypeFail     = "Fail"
	TypeParallel = "Parallel"
	TypeMap      = "Map"
)

// StateMachine is a parsed definition, or one of its nested scopes (a
// Parallel branch, a Map's ItemProcessor).
type StateMachine struct {
	Comment        string
	StartAt        string
	Version        string
	TimeoutSeconds *int64
	// QueryLanguage is the language states inherit: JSONPath unless set.
	QueryLanguage string
	States        map[string]*State
	// Order lists the state names in definition order.
	Order []string
}

// Field is an optional definition field whose explicit JSON null differs
// from its absence (InputPath, OutputPath, ResultPath).
type Field struct {
	Set   bool
	Null  bool
	Value string
}

// Retrier is one element of a Retry array.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int64
	MaxAttempts     int64
	BackoffRate     float64
	MaxDelaySeconds int64
	JitterStrategy  string
	// Comment is kept for completeness.
	Comment string
}

// Catcher is one element of a Catch array.
type Catcher struct {
	ErrorEquals []string
	Next        string
	ResultPath  Field
	Output      any
	HasOutput   bool
	Assign      map[string]any
	HasAssign   bool
}

// ChoiceRule is a Choice state rule or a nested boolean expression.
type ChoiceRule struct {
	// Next is set on top-level rules only.
	Next string
	// Condition is the JSONata form (a "{% %}" string or a boolean).
	Condition    any
	HasCondition bool
	Variable     string
	// Operator is the comparison name (StringEquals, IsPresent, ...) and
	// Operand its value; for And/Or/Not the operands are in Children.
	Operator  string
	Operand   any
	Children  []*ChoiceRule
	Assign    map[string]any
	HasAssign bool
	Output    any
	HasOutput bool
}

// ItemReader describes a Distributed Map's item source.
type ItemReader struct {
	Resource     string
	Parameters   any
	Arguments    any
	ReaderConfig map[string]any
}

// State is one state of any type; the fields that do not apply to its Type
// are zero.
type State struct {
	Name          string
	Type          string
	Comment       string
	QueryLanguage string
	Next          string
	End           bool

	InputPath  Field
	OutputPath Field
	ResultPath Field

	Parameters     any
	HasParameters  bool
	ResultSelector any
	HasSelector    bool
	Result         any
	HasResult      bool
	Arguments      any
	HasArguments   bool
	Output         any
	HasOutput      bool
	Assign         map[string]any
	HasAssign      bool

	// Task.
	Resource             string
	TimeoutSeconds       any
	TimeoutSecondsPath   string
	HeartbeatSeconds     any
	HeartbeatSecondsPath string
	Credentials          map[string]any
	Retry                []Retrier
	Catch                []Catcher

	// Choice.
	Choices []*ChoiceRule
	Default string

	// Wait.
	Seconds       any
	SecondsPath   string
	Timestamp     any
	TimestampPath string

	// Fail.
	Error     any
	ErrorPath string
	Cause     any
	CausePath string

	// Parallel.
	Branches []*StateMachine

	// Map.
	Processor                      *StateMachine
	ProcessorMode                  string
	ExecutionType                  string
	ItemsPath                      Field
	Items                          any
	HasItems                       bool
	ItemSelector                   any
	HasItemSelector                bool
	ItemReader                     *ItemReader
	ItemBatcher                    map[string]any
	ResultWriter                   map[string]any
	MaxConcurrency                 any
	MaxConcurrencyPath             string
	ToleratedFailureCount          any
	ToleratedFailureCountPath      string
	ToleratedFailurePercentage     any
	ToleratedFailurePercentagePath string
	Label                          string
}

// JSONata reports whether the state evaluates in JSONata mode.
func (s *State) JSONata() bool { return s.QueryLanguage == JSONata }

// IsEnd reports whether the state ends its scope (End, Succeed, Fail).
func (s *State) IsEnd() bool {
	return s.End || s.Type == TypeSucceed || s.Type == TypeFail
}

// number converts a decoded JSON number to int64 when it is integral.
func number(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil || f != float64(int64(f)) {
			return 0, false
		}
		return int64(f), true
	}
	return i, true
}
