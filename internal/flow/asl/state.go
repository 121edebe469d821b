package asl

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

var stateTypes = map[string]bool{
	TypePass: true, TypeTask: true, TypeChoice: true, TypeWait: true,
	TypeSucceed: true, TypeFail: true, TypeParallel: true, TypeMap: true,
}

// state parses one state object found at loc.
func (p *parser) state(name string, raw map[string]any, loc, inherited string) *State {
	st := &State{Name: name, QueryLanguage: inherited}
	st.Type, _ = raw["Type"].(string)
	if !stateTypes[st.Type] {
		if _, ok := raw["Type"]; !ok {
			p.fail(CodeSchema, loc, "The field 'Type' is required but was missing")
		} else {
			p.fail(CodeSchema, loc+"/Type", "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]")
		}
		return st
	}
	if ql, ok := raw["QueryLanguage"].(string); ok {
		if p.topQL == JSONata && ql == JSONPath {
			p.fail(CodeSchema, loc, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
		}
		if ql == JSONPath || ql == JSONata {
			st.QueryLanguage = ql
		}
	}
	st.Comment, _ = raw["Comment"].(string)
	st.Next, _ = raw["Next"].(string)
	st.End, _ = raw["End"].(bool)
	p.common(st, raw, loc)
	switch st.Type {
	case TypeTask:
		p.task(st, raw, loc)
	case TypeChoice:
		p.choice(st, raw, loc)
	case TypeWait:
		p.wait(st, raw, loc)
	case TypeFail:
		p.failState(st, raw)
	case TypeParallel:
		p.parallel(st, raw, loc)
	case TypeMap:
		p.mapState(st, raw, loc)
	}
	p.terminal(st, raw, loc)
	return st
}

// terminal checks the Next/End rules.
func (p *parser) terminal(st *State, raw map[string]any, loc string) {
	_, hasNext := raw["Next"]
	_, hasEnd := raw["End"]
	switch st.Type {
	case TypeChoice, TypeSucceed, TypeFail:
		if hasNext {
			p.fail(CodeSchema, loc, "Field 'Next' is not supported by a state of type '%s'", st.Type)
		}
		if hasEnd {
			p.fail(CodeSchema, loc, "Field 'End' is not supported by a state of type '%s'", st.Type)
		}
	default:
		if hasNext && st.End {
			p.fail(CodeSchema, loc, "Only one of 'Next' or 'End' can be specified")
		}
		if !hasNext && !st.End {
			p.fail(CodeSchema, loc, "No Next or End field")
		}
	}
}

// common reads the data-flow fields shared by most state types.
func (p *parser) common(st *State, raw map[string]any, loc string) {
	st.InputPath = p.pathField(raw, "InputPath", loc)
	st.OutputPath = p.pathField(raw, "OutputPath", loc)
	st.ResultPath = p.pathField(raw, "ResultPath", loc)
	st.Parameters, st.HasParameters = raw["Parameters"]
	st.ResultSelector, st.HasSelector = raw["ResultSelector"]
	st.Result, st.HasResult = raw["Result"]
	st.Arguments, st.HasArguments = raw["Arguments"]
	st.Output, st.HasOutput = raw["Output"]
	if a, ok := raw["Assign"]; ok {
		st.HasAssign = true
		st.Assign, _ = a.(map[string]any)
	}
	if st.HasParameters {
		p.template(st, st.Parameters, loc+"/Parameters")
	}
	if st.HasSelector {
		p.template(st, st.ResultSelector, loc+"/ResultSelector")
	}
}

func (p *parser) pathField(raw map[string]any, key, loc string) Field {
	v, ok := raw[key]
	if !ok {
		return Field{}
	}
	if v == nil {
		return Field{Set: true, Null: true}
	}
	s, ok := v.(string)
	if !ok {
		p.fail(CodeSchema, loc+"/"+key, "The value for the field '%s' must be a STRING", key)
		return Field{}
	}
	return Field{Set: true, Value: s}
}

func (p *parser) task(st *State, raw map[string]any, loc string) {
	st.Resource, _ = raw["Resource"].(string)
	if st.Resource == "" {
		p.fail(CodeSchema, loc, "The field 'Resource' is required but was missing")
	} else {
		p.resource(st.Resource, loc+"/Resource")
	}
	st.TimeoutSeconds = raw["TimeoutSeconds"]
	st.TimeoutSecondsPath, _ = raw["TimeoutSecondsPath"].(string)
	st.HeartbeatSeconds = raw["HeartbeatSeconds"]
	st.HeartbeatSecondsPath, _ = raw["HeartbeatSecondsPath"].(string)
	if c, ok := raw["Credentials"]; ok {
		m, _ := c.(map[string]any)
		_, a := m["RoleArn"]
		_, b := m["RoleArn.$"]
		if !a && !b {
			p.fail(CodeSchema, loc+"/Credentials", "The field 'RoleArn' is required but was missing")
		}
		st.Credentials = m
	}
	p.retryCatch(st, raw, loc)
}

// knownActions lists the optimized integrations AWS recognises per service
// (request-response form); an unknown action of these services is invalid.
var knownActions = map[string][]string{
	"dynamodb": {"getItem", "putItem", "updateItem", "deleteItem"},
	"lambda":   {"invoke"},
	"sqs":      {"sendMessage"},
	"sns":      {"publish"},
	"events":   {"putEvents"},
	"states":   {"startExecution"},
}

func (p *parser) resource(res, loc string) {
	isActivity := strings.Contains(res, ":activity:")
	if p.opts.Express {
		switch {
		case isActivity:
			p.fail(CodeSchema, loc, "Express state machine does not support Activity ARN")
		case strings.HasSuffix(res, ".sync") || strings.Contains(res, ".sync:"):
			p.fail(CodeSchema, loc, "Express state machine does not support '.sync' service integration")
		case strings.HasSuffix(res, ".waitForTaskToken"):
			p.fail(CodeSchema, loc, "Express state machine does not support '.waitForTaskToken' service integration ")
		}
	}
	rest, ok := strings.CutPrefix(res, "arn:aws:states:::")
	if !ok {
		return
	}
	svc, action, _ := strings.Cut(rest, ":")
	if strings.HasPrefix(svc, "aws-sdk") || svc == "http" {
		return
	}
	action, _, _ = strings.Cut(action, ".")
	acts, known := knownActions[svc]
	if !known {
		return
	}
	for _, a := range acts {
		if a == action {
			return
		}
	}
	p.fail(CodeSchema, loc, "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", res)
}

func (p *parser) retryCatch(st *State, raw map[string]any, loc string) {
	if list, ok := raw["Retry"].([]any); ok {
		for _, r := range list {
			m, _ := r.(map[string]any)
			rt := Retrier{IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "NONE"}
			rt.ErrorEquals = strings1(m["ErrorEquals"])
			if n, ok := number(m["IntervalSeconds"]); ok {
				rt.IntervalSeconds = n
			}
			if n, ok := number(m["MaxAttempts"]); ok {
				rt.MaxAttempts = n
			}
			if n, ok := m["BackoffRate"].(json.Number); ok {
				rt.BackoffRate, _ = n.Float64()
			}
			if n, ok := number(m["MaxDelaySeconds"]); ok {
				rt.MaxDelaySeconds = n
			}
			if s, ok := m["JitterStrategy"].(string); ok {
				rt.JitterStrategy = s
			}
			st.Retry = append(st.Retry, rt)
		}
	}
	if list, ok := raw["Catch"].([]any); ok {
		for _, c := range list {
			m, _ := c.(map[string]any)
			ct := Catcher{ErrorEquals: strings1(m["ErrorEquals"])}
			ct.Next, _ = m["Next"].(string)
			ct.ResultPath = p.pathField(m, "ResultPath", loc)
			ct.Output, ct.HasOutput = m["Output"]
			if a, ok := m["Assign"]; ok {
				ct.HasAssign = true
				ct.Assign, _ = a.(map[string]any)
			}
			st.Catch = append(st.Catch, ct)
		}
	}
}

func strings1(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) wait(st *State, raw map[string]any, loc string) {
	st.Seconds = raw["Seconds"]
	st.SecondsPath, _ = raw["SecondsPath"].(string)
	st.Timestamp = raw["Timestamp"]
	st.TimestampPath, _ = raw["TimestampPath"].(string)
	if ts, ok := st.Timestamp.(string); ok && !st.JSONata() {
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil || !strings.Contains(ts, "T") {
			p.fail(CodeSchema, loc+"/Timestamp", "String does not match RFC3339 timestamp")
		}
	}
}

func (p *parser) failState(st *State, raw map[string]any) {
	st.Error = raw["Error"]
	st.ErrorPath, _ = raw["ErrorPath"].(string)
	st.Cause = raw["Cause"]
	st.CausePath, _ = raw["CausePath"].(string)
}

func (p *parser) parallel(st *State, raw map[string]any, loc string) {
	list, _ := raw["Branches"].([]any)
	for i, b := range list {
		m, _ := b.(map[string]any)
		st.Branches = append(st.Branches, p.machine(m, loc+"/Branches["+strconv.Itoa(i)+"]", st.QueryLanguage, false))
	}
	p.retryCatch(st, raw, loc)
}
