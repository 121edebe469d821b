package asl

import (
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/intrinsic"
)

// Comparison operators of JSONPath Choice rules.
var comparisons = map[string]bool{
	"StringEquals": true, "StringLessThan": true, "StringGreaterThan": true,
	"StringLessThanEquals": true, "StringGreaterThanEquals": true, "StringMatches": true,
	"NumericEquals": true, "NumericLessThan": true, "NumericGreaterThan": true,
	"NumericLessThanEquals": true, "NumericGreaterThanEquals": true,
	"BooleanEquals": true, "TimestampEquals": true, "TimestampLessThan": true,
	"TimestampGreaterThan": true, "TimestampLessThanEquals": true, "TimestampGreaterThanEquals": true,
	"IsNull": true, "IsPresent": true, "IsNumeric": true, "IsString": true, "IsBoolean": true, "IsTimestamp": true,
	"StringEqualsPath": true, "StringLessThanPath": true, "StringGreaterThanPath": true,
	"StringLessThanEqualsPath": true, "StringGreaterThanEqualsPath": true,
	"NumericEqualsPath": true, "NumericLessThanPath": true, "NumericGreaterThanPath": true,
	"NumericLessThanEqualsPath": true, "NumericGreaterThanEqualsPath": true,
	"BooleanEqualsPath": true, "TimestampEqualsPath": true, "TimestampLessThanPath": true,
	"TimestampGreaterThanPath": true, "TimestampLessThanEqualsPath": true, "TimestampGreaterThanEqualsPath": true,
}

func (p *parser) choice(st *State, raw map[string]any, loc string) {
	st.Default, _ = raw["Default"].(string)
	list, ok := raw["Choices"].([]any)
	if !ok || len(list) == 0 {
		p.fail(CodeSchema, loc, "The field 'Choices' is required but was missing")
		return
	}
	for i, c := range list {
		m, _ := c.(map[string]any)
		r := p.rule(m, fmt.Sprintf("%s/Choices[%d]", loc, i))
		r.Next, _ = m["Next"].(string)
		if r.Next == "" {
			p.fail(CodeSchema, fmt.Sprintf("%s/Choices[%d]", loc, i), "The field 'Next' is required but was missing")
		}
		if a, ok := m["Assign"]; ok {
			r.HasAssign = true
			r.Assign, _ = a.(map[string]any)
		}
		r.Output, r.HasOutput = m["Output"]
		st.Choices = append(st.Choices, r)
	}
}

// rule parses a (possibly nested) Choice rule.
func (p *parser) rule(m map[string]any, loc string) *ChoiceRule {
	r := &ChoiceRule{}
	if c, ok := m["Condition"]; ok {
		r.Condition, r.HasCondition = c, true
		return r
	}
	r.Variable, _ = m["Variable"].(string)
	for _, op := range []string{"And", "Or"} {
		if list, ok := m[op].([]any); ok {
			r.Operator = op
			for i, c := range list {
				cm, _ := c.(map[string]any)
				r.Children = append(r.Children, p.rule(cm, fmt.Sprintf("%s/%s[%d]", loc, op, i)))
			}
			return r
		}
	}
	if c, ok := m["Not"].(map[string]any); ok {
		r.Operator = "Not"
		r.Children = []*ChoiceRule{p.rule(c, loc+"/Not")}
		return r
	}
	for k, v := range m {
		if comparisons[k] {
			r.Operator, r.Operand = k, v
		}
	}
	if r.Operator == "" {
		p.fail(CodeSchema, loc, "A Choice rule must have exactly one comparison operator")
	}
	return r
}

// template checks the ".$" fields of a JSONPath payload template.
func (p *parser) template(st *State, v any, loc string) {
	if st.JSONata() {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if strings.HasSuffix(k, ".$") {
				s, ok := e.(string)
				if !ok || !validDynamic(s) {
					p.fail(CodeSchema, loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k)
				}
				continue
			}
			p.template(st, e, loc)
		}
	case []any:
		for _, e := range t {
			p.template(st, e, loc)
		}
	}
}

// validDynamic reports whether s is a JSONPath, a context path, a variable
// reference or an intrinsic function call.
func validDynamic(s string) bool {
	if strings.HasPrefix(s, "$") {
		return true
	}
	if !strings.HasPrefix(s, "States.") {
		return false
	}
	_, err := intrinsic.Parse(s)
	return err == nil
}
