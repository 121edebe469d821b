package engine

import (
	"strings"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// choice runs a Choice state.
func (r *run) choice() (any, string, *Failure) {
	st := r.st
	if st.JSONata() {
		return r.choiceJSONata()
	}
	eff, f := r.inputPath(r.input)
	if f != nil {
		return nil, "", f
	}
	assign, next := st.Assign, st.Default
	matched := false
	for _, rule := range st.Choices {
		ok, f := r.evalRule(rule, eff)
		if f != nil {
			return nil, "", f
		}
		if ok {
			next, matched = rule.Next, true
			if rule.HasAssign {
				assign = rule.Assign
			}
			break
		}
	}
	if !matched && next == "" {
		return nil, "", &Failure{Error: ErrNoChoiceMatched, Cause: "No Matches!"}
	}
	assigned, f := r.assignJSONPath(assign, eff)
	if f != nil {
		return nil, "", f
	}
	out, f := r.outputPath(eff)
	if f != nil {
		return nil, "", f
	}
	r.commit(assigned)
	return out, next, nil
}

func (r *run) choiceJSONata() (any, string, *Failure) {
	st := r.st
	states := r.statesBinding(r.input, nil, false)
	for i, rule := range st.Choices {
		v := rule.Condition
		if _, ok := isExpr(v); ok {
			var f *Failure
			if v, f = r.jsonataValue(v, "Condition", states); f != nil {
				return nil, "", f
			}
		}
		b, ok := v.(bool)
		if !ok {
			src, _ := isExpr(rule.Condition)
			return nil, "", r.queryError("Condition", "The JSONata expression '%s' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '%s' for value: %s", src, jsonType(v), encode(v))
		}
		_ = i
		if b {
			out, f := r.choiceOutput(rule.HasAssign, rule.Assign, rule.HasOutput, rule.Output, states)
			return out, rule.Next, f
		}
	}
	if st.Default == "" {
		return nil, "", &Failure{Error: ErrNoChoiceMatched, Cause: "No Matches!"}
	}
	out, f := r.choiceOutput(st.HasAssign, st.Assign, st.HasOutput, st.Output, states)
	return out, st.Default, f
}

func (r *run) choiceOutput(hasAssign bool, assign map[string]any, hasOutput bool, output any, states map[string]any) (any, *Failure) {
	var assigned map[string]any
	if hasAssign {
		var f *Failure
		if assigned, f = r.assignJSONata(assign, states); f != nil {
			return nil, f
		}
	}
	out := r.input
	if hasOutput {
		var f *Failure
		if out, f = r.jsonataValue(output, "Output", states); f != nil {
			return nil, f
		}
	}
	r.commit(assigned)
	return out, nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	if _, ok := number(v); ok {
		return "number"
	}
	return "unsupported"
}

// evalRule evaluates a JSONPath-mode Choice rule against input.
func (r *run) evalRule(rule *asl.ChoiceRule, input any) (bool, *Failure) {
	switch rule.Operator {
	case "And", "Or":
		for _, c := range rule.Children {
			ok, f := r.evalRule(c, input)
			if f != nil {
				return false, f
			}
			if ok == (rule.Operator == "Or") {
				return ok, nil
			}
		}
		return rule.Operator == "And", nil
	case "Not":
		ok, f := r.evalRule(rule.Children[0], input)
		return !ok, f
	}
	val, err := r.resolve(rule.Variable, input)
	present := err == nil
	op, operand := rule.Operator, rule.Operand
	if strings.HasSuffix(op, "Path") {
		ov, err := r.resolve(stringOf(operand), input)
		if err != nil {
			return false, r.runtime("Invalid path '%s': The choice state's condition path references an invalid value.", stringOf(operand))
		}
		op, operand = strings.TrimSuffix(op, "Path"), ov
	}
	if op == "IsPresent" {
		want, _ := operand.(bool)
		return present == want, nil
	}
	if !present {
		if strings.HasPrefix(op, "Is") {
			want, _ := operand.(bool)
			return !want, nil
		}
		return false, r.runtime("Invalid path '%s': The choice state's condition path references an invalid value.", rule.Variable)
	}
	return compare(op, val, operand), nil
}

// compare applies a data-test operator.
func compare(op string, val, operand any) bool {
	switch op {
	case "IsNull":
		return (val == nil) == truthy(operand)
	case "IsNumeric":
		_, ok := number(val)
		return ok == truthy(operand)
	case "IsString":
		_, ok := val.(string)
		return ok == truthy(operand)
	case "IsBoolean":
		_, ok := val.(bool)
		return ok == truthy(operand)
	case "IsTimestamp":
		s, ok := val.(string)
		if ok {
			_, ok = parseTimestamp(s)
		}
		return ok == truthy(operand)
	case "BooleanEquals":
		a, ok1 := val.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b
	case "StringMatches":
		a, ok1 := val.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && globMatch(b, a)
	}
	switch {
	case strings.HasPrefix(op, "String"):
		a, ok1 := val.(string)
		b, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false
		}
		return ordered(strings.TrimPrefix(op, "String"), strings.Compare(a, b))
	case strings.HasPrefix(op, "Numeric"):
		a, ok1 := number(val)
		b, ok2 := number(operand)
		if !ok1 || !ok2 {
			return false
		}
		c := 0
		if a < b {
			c = -1
		} else if a > b {
			c = 1
		}
		return ordered(strings.TrimPrefix(op, "Numeric"), c)
	case strings.HasPrefix(op, "Timestamp"):
		as, _ := val.(string)
		bs, _ := operand.(string)
		a, ok1 := parseTimestamp(as)
		b, ok2 := parseTimestamp(bs)
		if !ok1 || !ok2 {
			return false
		}
		return ordered(strings.TrimPrefix(op, "Timestamp"), a.Compare(b))
	}
	return false
}

func truthy(v any) bool { b, _ := v.(bool); return b }

func ordered(rel string, c int) bool {
	switch rel {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// globMatch matches StringMatches patterns: * is any run of characters,
// \* a literal star and \\ a literal backslash.
func globMatch(pattern, s string) bool {
	type tok struct {
		star bool
		lit  rune
	}
	var toks []tok
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch {
		case rs[i] == '\\' && i+1 < len(rs):
			i++
			toks = append(toks, tok{lit: rs[i]})
		case rs[i] == '*':
			toks = append(toks, tok{star: true})
		default:
			toks = append(toks, tok{lit: rs[i]})
		}
	}
	in := []rune(s)
	var match func(ti, si int) bool
	match = func(ti, si int) bool {
		for ti < len(toks) {
			if toks[ti].star {
				for k := si; k <= len(in); k++ {
					if match(ti+1, k) {
						return true
					}
				}
				return false
			}
			if si >= len(in) || in[si] != toks[ti].lit {
				return false
			}
			ti, si = ti+1, si+1
		}
		return si == len(in)
	}
	return match(0, 0)
}
