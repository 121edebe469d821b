package sfn

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/flow"
)

// epoch is an AWS JSON timestamp: seconds since the epoch, fractional.
type epoch time.Time

func (e epoch) MarshalJSON() ([]byte, error) {
	t := time.Time(e)
	return []byte(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)), nil
}

// opt returns a pointer to a date, nil when zero.
func opt(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

// str returns a pointer to a string, nil when empty.
func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func tagsIn(in []tag) []flow.Tag {
	out := make([]flow.Tag, 0, len(in))
	for _, t := range in {
		out = append(out, flow.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func tagsOut(in []flow.Tag) []tag {
	out := make([]tag, 0, len(in))
	for _, t := range in {
		out = append(out, tag{Key: t.Key, Value: t.Value})
	}
	return out
}

type included struct {
	Included bool `json:"included"`
}

// executionShape is DescribeExecution's output.
type executionShape struct {
	ExecutionArn           string    `json:"executionArn"`
	StateMachineArn        string    `json:"stateMachineArn"`
	Name                   string    `json:"name"`
	Status                 string    `json:"status"`
	StartDate              epoch     `json:"startDate"`
	StopDate               *epoch    `json:"stopDate,omitempty"`
	Input                  *string   `json:"input,omitempty"`
	InputDetails           *included `json:"inputDetails,omitempty"`
	Output                 *string   `json:"output,omitempty"`
	OutputDetails          *included `json:"outputDetails,omitempty"`
	TraceHeader            *string   `json:"traceHeader,omitempty"`
	Error                  *string   `json:"error,omitempty"`
	Cause                  *string   `json:"cause,omitempty"`
	StateMachineVersionArn *string   `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   *string   `json:"stateMachineAliasArn,omitempty"`
	RedriveCount           *int      `json:"redriveCount,omitempty"`
	RedriveDate            *epoch    `json:"redriveDate,omitempty"`
	RedriveStatus          *string   `json:"redriveStatus,omitempty"`
	RedriveStatusReason    *string   `json:"redriveStatusReason,omitempty"`
}

func executionOut(d flow.ExecutionDescription, data bool) executionShape {
	out := executionShape{
		ExecutionArn: d.ExecutionArn, StateMachineArn: d.StateMachineArn, Name: d.Name, Status: d.Status,
		StartDate: epoch(d.StartDate), StopDate: opt(d.StopDate), TraceHeader: str(d.TraceHeader),
		Error: str(d.Error), Cause: str(d.Cause), StateMachineVersionArn: str(d.StateMachineVersionArn),
		StateMachineAliasArn: str(d.StateMachineAliasArn), RedriveStatus: str(d.RedriveStatus),
		RedriveStatusReason: str(d.RedriveStatusReason), RedriveDate: opt(d.RedriveDate),
	}
	if d.StateMachineType != flow.TypeExpress {
		n := d.RedriveCount
		out.RedriveCount = &n
	}
	if data {
		in := d.Input
		out.Input, out.InputDetails = &in, &included{true}
		if d.Output != nil {
			out.Output, out.OutputDetails = d.Output, &included{true}
		}
	} else {
		out.InputDetails = &included{false}
		if d.Output != nil {
			out.OutputDetails = &included{false}
		}
	}
	return out
}

// stateMachineShape is DescribeStateMachine's output.
type stateMachineShape struct {
	StateMachineArn         string          `json:"stateMachineArn"`
	Name                    string          `json:"name"`
	Status                  string          `json:"status,omitempty"`
	Definition              string          `json:"definition"`
	RoleArn                 string          `json:"roleArn"`
	Type                    string          `json:"type,omitempty"`
	CreationDate            *epoch          `json:"creationDate,omitempty"`
	UpdateDate              *epoch          `json:"updateDate,omitempty"`
	LoggingConfiguration    json.RawMessage `json:"loggingConfiguration,omitempty"`
	TracingConfiguration    json.RawMessage `json:"tracingConfiguration,omitempty"`
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration,omitempty"`
	RevisionID              *string         `json:"revisionId,omitempty"`
	Description             *string         `json:"description,omitempty"`
}

var (
	defaultLogging    = json.RawMessage(`{"level":"OFF","includeExecutionData":false}`)
	defaultTracing    = json.RawMessage(`{"enabled":false}`)
	defaultEncryption = json.RawMessage(`{"type":"AWS_OWNED_KEY"}`)
)

func orDefault(raw, def json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return def
	}
	return raw
}

func stateMachineOut(m flow.StateMachine) stateMachineShape {
	return stateMachineShape{
		StateMachineArn: m.StateMachineArn, Name: m.Name, Status: m.Status, Definition: m.Definition, RoleArn: m.RoleArn,
		Type: m.Type, CreationDate: opt(m.CreationDate), LoggingConfiguration: orDefault(m.Logging, defaultLogging),
		TracingConfiguration: orDefault(m.Tracing, defaultTracing), EncryptionConfiguration: orDefault(m.Encryption, defaultEncryption),
		RevisionID: str(m.RevisionID), Description: str(m.Description),
	}
}
