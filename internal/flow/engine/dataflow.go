package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/intrinsic"
	"github.com/fogbank/fogbank/internal/flow/jsonata"
	"github.com/fogbank/fogbank/internal/flow/path"
)

// encode renders a value as AWS prints payloads: compact, no HTML escaping.
func encode(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// causePrefix is how AWS starts the cause of a state's runtime error.
func (r *run) causePrefix() string {
	return fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). ", r.st.Name, r.enteredID)
}

func (r *run) runtime(format string, args ...any) *Failure {
	return &Failure{Error: ErrRuntime, Cause: r.causePrefix() + fmt.Sprintf(format, args...)}
}

func (r *run) queryError(location, format string, args ...any) *Failure {
	return &Failure{Error: ErrQueryEvaluation, Cause: r.causePrefix() + fmt.Sprintf(format, args...), Location: location, evaluation: true}
}

// env is the JSONPath evaluation environment for a value.
func (r *run) env(input any) path.Env {
	return path.Env{Input: input, Context: r.ctxObj, Var: r.sc.vars.get, Rand: r.sc.exec.cfg.Rand}
}

// toFailure converts an error from the path or intrinsic packages.
func (r *run) toFailure(err error, fallback string) *Failure {
	var ie *intrinsic.Error
	if errors.As(err, &ie) {
		return &Failure{Error: ie.Name, Cause: ie.Cause}
	}
	var fe failureError
	if errors.As(err, &fe) {
		return fe.f
	}
	return &Failure{Error: fallback, Cause: err.Error()}
}

// resolve evaluates a JSONPath ("$...", "$$...", "$var").
func (r *run) resolve(p string, input any) (any, error) {
	return r.env(input).Resolve(p)
}

func (r *run) inputPath(input any) (any, *Failure) {
	v, f := r.applyInputPath(input)
	if f == nil {
		r.inspect("afterInputPath", v)
	}
	return v, f
}

func (r *run) applyInputPath(input any) (any, *Failure) {
	f := r.st.InputPath
	switch {
	case !f.Set:
		return input, nil
	case f.Null:
		return map[string]any{}, nil
	}
	v, err := r.resolve(f.Value, input)
	if err != nil {
		return nil, r.runtime("Invalid input path: %s", err.Error())
	}
	return v, nil
}

// inspect records a TestState inspectionData field.
func (r *run) inspect(key string, v any) {
	r.sc.exec.test.inspectSet(key, v)
}

func (r *run) outputPath(v any) (any, *Failure) {
	f := r.st.OutputPath
	switch {
	case !f.Set:
		return v, nil
	case f.Null:
		return map[string]any{}, nil
	}
	out, err := r.resolve(f.Value, v)
	if err != nil {
		return nil, r.runtime("Invalid output path: %s", err.Error())
	}
	return out, nil
}

// template evaluates a JSONPath payload template against input.
func (r *run) template(tpl any, input any) (any, *Failure) {
	t, err := path.CompileTemplate(tpl)
	if err != nil {
		return nil, r.toFailure(err, ErrRuntime)
	}
	v, err := t.Eval(r.env(input))
	if err != nil {
		return nil, r.toFailure(err, ErrParameterPath)
	}
	return v, nil
}

func (r *run) resultPath(f asl.Field, input, result any) (any, *Failure) {
	switch {
	case !f.Set:
		return result, nil
	case f.Null:
		return input, nil
	}
	ref, err := path.ParseReference(f.Value)
	if err != nil {
		return nil, &Failure{Error: ErrResultPathMatch, Cause: err.Error()}
	}
	out, err := path.Set(input, ref, result)
	if err != nil {
		return nil, r.toFailure(err, ErrResultPathMatch)
	}
	return out, nil
}

// assignJSONPath evaluates a JSONPath-mode Assign block.
func (r *run) assignJSONPath(assign map[string]any, input any) (map[string]any, *Failure) {
	if assign == nil {
		return nil, nil
	}
	v, f := r.template(assign, input)
	if f != nil {
		return nil, f
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// isExpr reports whether s is a JSONata "{% %}" expression string.
func isExpr(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "{%") || !strings.HasSuffix(s, "%}") || len(s) < 4 {
		return "", false
	}
	return strings.TrimSpace(s[2 : len(s)-2]), true
}

// statesBinding builds $states.
func (r *run) statesBinding(input, errorOutput any, hasError bool) map[string]any {
	m := map[string]any{"input": input, "context": r.ctxObj}
	if hasError {
		m["errorOutput"] = errorOutput
	}
	return m
}

// jsonataValue evaluates a JSONata-mode field value: expression strings
// anywhere in it are evaluated, everything else is literal.
func (r *run) jsonataValue(v any, field string, states map[string]any) (any, *Failure) {
	if src, ok := isExpr(v); ok {
		return r.jsonataExpr(src, field, states)
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			x, f := r.jsonataValue(e, field+"/"+k, states)
			if f != nil {
				return nil, f
			}
			out[k] = x
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			x, f := r.jsonataValue(e, fmt.Sprintf("%s[%d]", field, i), states)
			if f != nil {
				return nil, f
			}
			out[i] = x
		}
		return out, nil
	}
	return v, nil
}

func (r *run) jsonataExpr(src, field string, states map[string]any) (any, *Failure) {
	expr, err := jsonata.Compile(src)
	if err != nil {
		return nil, r.queryError(field, "The JSONata expression '%s' specified for the field '%s' threw an error during compilation. %s", src, field, err.Error())
	}
	bind := r.sc.vars.all()
	bind["states"] = states
	for name, fn := range r.sc.exec.functions() {
		bind[name] = fn
	}
	out, err := expr.Eval(states["input"], bind)
	if err != nil {
		var je *jsonata.Error
		if errors.As(err, &je) {
			return nil, r.queryError(field, "The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", src, field, je.Message)
		}
		var fe failureError
		if errors.As(err, &fe) {
			return nil, fe.f
		}
		return nil, r.queryError(field, "The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", src, field, err.Error())
	}
	if out == jsonata.Undefined {
		return nil, r.queryError(field, "The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", src, field)
	}
	return out, nil
}

// assignJSONata evaluates a JSONata-mode Assign block.
func (r *run) assignJSONata(assign map[string]any, states map[string]any) (map[string]any, *Failure) {
	if assign == nil {
		return nil, nil
	}
	out := make(map[string]any, len(assign))
	for k, v := range assign {
		x, f := r.jsonataValue(v, "Assign/"+k, states)
		if f != nil {
			return nil, f
		}
		out[k] = x
	}
	return out, nil
}
