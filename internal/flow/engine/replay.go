package engine

import "github.com/fogbank/fogbank/internal/flow/asl"

// replayedResult returns the outcome of the task about to run when the
// history being replayed already recorded it.
func (e *Execution) replayedResult() (any, *Failure, bool) {
	rec, ok := e.recorded(len(e.events))
	if ok && rec.Type == "ActivityStarted" {
		rec, ok = e.recorded(len(e.events) + 1)
	}
	if !ok {
		return nil, nil, false
	}
	switch d := rec.Details.(type) {
	case *TaskDetails:
		if rec.Type == "TaskSucceeded" && d.Output != nil {
			return decodeOr(*d.Output), nil, true
		}
		if rec.Type == "TaskFailed" || rec.Type == "TaskTimedOut" {
			return nil, &Failure{Error: d.Error, Cause: d.Cause}, true
		}
	case *OutputDetails:
		if rec.Type == "LambdaFunctionSucceeded" || rec.Type == "ActivitySucceeded" {
			return decodeOr(d.Output), nil, true
		}
	case *FailureDetails:
		if rec.Type == "LambdaFunctionFailed" || rec.Type == "LambdaFunctionTimedOut" || rec.Type == "ActivityFailed" || rec.Type == "ActivityTimedOut" {
			return nil, &Failure{Error: d.Error, Cause: d.Cause}, true
		}
	}
	return nil, nil, false
}

func decodeOr(text string) any {
	v, err := asl.Decode(text)
	if err != nil {
		return text
	}
	return v
}
