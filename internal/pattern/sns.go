package pattern

// Scope is an SNS FilterPolicyScope.
type Scope string

// The SNS filter policy scopes.
const (
	ScopeMessageAttributes Scope = "MessageAttributes"
	ScopeMessageBody       Scope = "MessageBody"
)

// SNS filter policy limits.
const (
	maxPolicyKeys         = 5
	maxPolicyCombinations = 150
)

// Attribute is an SNS message attribute. For DataType "String.Array" the
// StringValue is a JSON array; "Binary" attributes (and unknown types) are
// present but never match a value.
type Attribute struct {
	DataType    string
	StringValue string
}

// CompileFilterPolicy validates an SNS subscription filter policy. On failure
// the error is an *Error with code InvalidParameter whose Message is the text
// after the API prefix ("Invalid parameter: " for SetSubscriptionAttributes,
// "Invalid parameter: Attributes Reason: " for Subscribe).
func CompileFilterPolicy(raw []byte, scope Scope) (*Pattern, error) {
	root, err := parseTree(raw)
	if err != nil {
		return nil, policyError(err.Error())
	}
	if root.kind != tokObjStart {
		return nil, policyError("Filter is not an object")
	}
	if len(root.obj) == 0 {
		return &Pattern{branches: []branch{nil}}, nil
	}
	if err := validatePolicy(root, scope); err != nil {
		return nil, err
	}
	p, err := compileRules(raw, true)
	if err != nil {
		return nil, policyError(err.Error())
	}
	return p, nil
}

// validatePolicy applies SNS's own checks in SNS's order: the number of keys,
// the combinations (with nesting and empty arrays), then each match value.
func validatePolicy(root *jnode, scope Scope) error {
	if len(root.obj) > maxPolicyKeys {
		return policyError("Filter policy can not have more than 5 keys")
	}
	v := &policyValidator{scope: scope}
	combos, err := v.aggregate(root, 1, 1)
	if err != nil {
		return err
	}
	if combos > maxPolicyCombinations {
		return policyError("Filter policy is too complex")
	}
	for _, values := range v.rules {
		for _, r := range values {
			if reason := validatePolicyRule(r); reason != "" {
				return policyError(reason)
			}
		}
	}
	return nil
}

type policyValidator struct {
	scope Scope
	rules [][]*jnode
}

// aggregate collects the value arrays and computes SNS's combination count:
// the product over keys of (number of values × nesting depth), with the
// alternatives of "$or" added up.
func (v *policyValidator) aggregate(obj *jnode, depth, combos int) (int, error) {
	for _, m := range obj.obj {
		var err error
		switch {
		case m.val.kind == tokObjStart:
			combos, err = v.aggregate(m.val, depth+1, combos)
		case m.val.kind == tokArrStart:
			combos, err = v.aggregateArray(m, depth, combos)
		default:
			err = policyError(`"` + m.key + `" must be an object or an array`)
		}
		if err != nil {
			return 0, err
		}
	}
	if v.scope == ScopeMessageAttributes && depth > 1 {
		return 0, &Error{
			Code:    CodeInvalidParameter,
			Message: "Filter policy scope MessageAttributes does not support nested filter policy",
			Reason:  "Filter policy scope MessageAttributes does not support nested filter policy",
		}
	}
	return min(combos, 1<<40), nil
}

func (v *policyValidator) aggregateArray(m member, depth, combos int) (int, error) {
	if len(m.val.arr) == 0 {
		return 0, policyError("Empty arrays are not allowed")
	}
	if m.key != "$or" {
		v.rules = append(v.rules, m.val.arr)
		return min(combos*len(m.val.arr)*depth, 1<<40), nil
	}
	total := 0
	for _, alt := range m.val.arr {
		if alt.kind != tokObjStart {
			continue
		}
		c, err := v.aggregate(alt, depth, combos)
		if err != nil {
			return 0, err
		}
		total = min(total+c, 1<<40)
	}
	return total, nil
}

// validatePolicyRule checks one match value the way SNS does; "" when valid.
func validatePolicyRule(r *jnode) string {
	if r.kind.isScalar() {
		return ""
	}
	if r.kind != tokObjStart {
		return "Match value must be String, number, true, false, or null"
	}
	if len(r.obj) != 1 {
		return "Only one key allowed in match expression"
	}
	op, val := r.obj[0].key, r.obj[0].val
	switch op {
	case "equals-ignore-case", "prefix", "suffix":
		if val.kind != tokString {
			return op + " match pattern must be a string"
		}
		return ""
	case "anything-but":
		return validateAnythingBut(val)
	case "exists":
		if val.kind != tokTrue && val.kind != tokFalse {
			return "exists match pattern must be either true or false."
		}
		return ""
	case "numeric":
		return validatePolicyNumeric(val)
	case "cidr":
		if val.kind != tokString {
			return "prefix match pattern must be a string"
		}
		if _, err := parseCIDR(val.text); err != nil {
			return err.Error()
		}
		return ""
	}
	return "Unrecognized match type " + op
}

func validateAnythingBut(val *jnode) string {
	switch val.kind {
	case tokArrStart:
		for _, e := range val.arr {
			if reason := validatePolicyRule(e); reason != "" {
				return reason
			}
		}
		return ""
	case tokObjStart:
		for _, m := range val.obj {
			if m.key != "prefix" {
				return "Unsupported anything-but pattern: " + m.key
			}
		}
	}
	return validatePolicyRule(val)
}

// validatePolicyNumeric checks a numeric operand with SNS's texts and order.
func validatePolicyNumeric(val *jnode) string {
	if val.kind != tokArrStart {
		return "Value of numeric must be an array."
	}
	terms := val.arr
	if len(terms) == 0 {
		return "Invalid member in numeric match: ]"
	}
	op := terms[0]
	if op.kind != tokString {
		return "Invalid member in numeric match: " + op.text
	}
	if !isNumericOp(op.text) {
		return "Unrecognized numeric range operator: " + op.text
	}
	if len(terms) < 2 || terms[1].kind != tokNumber {
		return "Value of " + opName(op.text) + " must be numeric"
	}
	if len(terms) == 2 {
		return ""
	}
	if op.text != ">" && op.text != ">=" {
		return "Too many elements in numeric expression"
	}
	return validateUpperTerm(terms)
}

func validateUpperTerm(terms []*jnode) string {
	op2 := terms[2]
	if op2.kind != tokString {
		return "Bad value in numeric range: " + op2.text
	}
	if op2.text != "<" && op2.text != "<=" {
		return "Bad numeric range operator: " + op2.text
	}
	if len(terms) < 4 || terms[3].kind != tokNumber {
		return "Value of " + op2.text + " must be numeric"
	}
	if keyFloatText(terms[3].text) <= keyFloatText(terms[1].text) {
		return "Bottom must be less than top"
	}
	if len(terms) > 4 {
		return "Too many terms in numeric range expression"
	}
	return ""
}

func isNumericOp(s string) bool {
	return s == "<" || s == "<=" || s == "=" || s == ">" || s == ">="
}

func opName(op string) string {
	if op == "=" {
		return "equals"
	}
	return op
}

func keyFloatText(s string) float64 {
	k, ok := numKey([]byte(s))
	if !ok {
		return 0
	}
	return keyFloat(k)
}

// flattenAttributes turns SNS message attributes into event fields: one
// path per attribute name, String.Array elements as separate values.
func (fe *flatEvent) flattenAttributes(m *machine, attrs map[string]Attribute) {
	fe.reset(len(m.paths))
	fe.lx.reset(nil)
	for name, a := range attrs {
		info, ok := m.index[name]
		if !ok || info.pid < 0 {
			continue
		}
		fe.attribute(info.pid, a)
	}
	fe.group(len(m.paths))
}

func (fe *flatEvent) attribute(pid int32, a Attribute) {
	b := []byte(a.StringValue)
	switch a.DataType {
	case "String":
		fe.add(pid, newValue(vString, b))
	case "Number":
		if validNumber(b) {
			fe.add(pid, newValue(vNumber, b))
		} else {
			fe.add(pid, newValue(vString, b))
		}
	case "String.Array":
		fe.stringArray(pid, b)
	default:
		fe.add(pid, value{kind: vNone})
	}
}

func (fe *flatEvent) stringArray(pid int32, b []byte) {
	var lx lexer
	lx.reset(b)
	if t, err := lx.next(); err != nil || t != tokArrStart {
		fe.add(pid, value{kind: vNone})
		return
	}
	for {
		t, err := lx.next()
		if err != nil || t == tokArrEnd || t == tokEOF {
			return
		}
		switch t {
		case tokString:
			fe.add(pid, newValue(vString, append([]byte(nil), lx.text...)))
		case tokNumber:
			fe.add(pid, newValue(vNumber, lx.text))
		case tokTrue, tokFalse, tokNull:
			fe.add(pid, newValue(vLiteral, lx.text))
		default:
			if lx.skipValue(t) != nil {
				return
			}
		}
	}
}

// ParseScope validates a FilterPolicyScope attribute value.
func ParseScope(s string) (Scope, error) {
	switch sc := Scope(s); sc {
	case ScopeMessageAttributes, ScopeMessageBody:
		return sc, nil
	}
	msg := "FilterPolicyScope: Invalid value [" + s + "]. Please use either MessageBody or MessageAttributes"
	return "", &Error{Code: CodeInvalidParameter, Message: msg, Reason: msg}
}
