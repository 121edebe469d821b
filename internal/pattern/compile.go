package pattern

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// field is one path of a branch with its conditions (OR-ed).
type field struct {
	path  string
	conds []cond
}

// branch is one alternative of a pattern: fields sorted by path (AND-ed).
type branch []field

// Pattern is a validated EventBridge event pattern or SNS filter policy.
// It is immutable and safe for concurrent use.
type Pattern struct {
	branches []branch
	once     sync.Once
	single   *machine // a machine holding only this pattern, built on first use
}

// rule is one branch under construction: path → conditions.
type rule map[string][]cond

// parser compiles the JSON text of a pattern token by token, reproducing the
// order of checks (and so the error reported first) of event-ruler's
// JsonRuleCompiler.
type parser struct {
	lx  lexer
	sns bool // SNS filter policy dialect
}

// Compile validates an EventBridge event pattern. On failure the error is an
// *Error with code InvalidEventPatternException and AWS's message.
func Compile(raw []byte) (*Pattern, error) {
	p, err := compileRules(raw, false)
	if err == nil {
		err = p.checkComplexity()
	}
	if err != nil {
		return nil, patternError(err)
	}
	return p, nil
}

// checkComplexity rejects patterns whose wildcards on one path are too
// non-deterministic (event-ruler's MachineComplexityEvaluator).
func (p *Pattern) checkComplexity() error {
	byPath := map[string][]*wildcard{}
	seen := map[*wildcard]bool{} // $or branches share their conditions
	for _, br := range p.branches {
		for _, f := range br {
			for i := range f.conds {
				for _, w := range f.conds[i].wcs {
					if !seen[w] {
						seen[w] = true
						byPath[f.path] = append(byPath[f.path], w)
					}
				}
			}
		}
	}
	for _, ws := range byPath {
		if wildcardComplexity(ws, maxWildcardComplexity) > maxWildcardComplexity {
			return fail(tooComplex)
		}
	}
	return nil
}

func compileRules(raw []byte, sns bool) (*Pattern, error) {
	ps := &parser{sns: sns}
	ps.lx.reset(raw)
	rules, err := ps.top()
	if err != nil {
		return nil, err
	}
	return newPattern(rules), nil
}

func newPattern(rules []rule) *Pattern {
	p := &Pattern{}
	for _, r := range rules {
		var b branch
		for _, path := range slices.Sorted(maps.Keys(r)) {
			b = append(b, field{path: path, conds: r[path]})
		}
		p.branches = append(p.branches, b)
	}
	return p
}

func (ps *parser) top() ([]rule, error) {
	t, err := ps.lx.next()
	if err != nil {
		return nil, err
	}
	if t != tokObjStart {
		return nil, fail("Filter is not an object")
	}
	var rules []rule
	if err := ps.object(&rules, nil, false); err != nil {
		return nil, err
	}
	return rules, nil
}

// isOrReserved reports whether name is one of event-ruler's reserved words,
// which may not be field names inside $or.
func isOrReserved(name string) bool {
	switch name {
	case "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
		"numeric", "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case",
		"date-after", "date-on-or-after", "date-before", "date-on-or-before", "in-date-range",
		"ip-address-in-range", "ip-address-not-in-range":
		return true
	}
	return false
}

// object parses the members of an object whose '{' was read.
func (ps *parser) object(rules *[]rule, path []string, inOr bool) error {
	members := false
	for {
		t, err := ps.lx.next()
		if err != nil {
			return err
		}
		if t == tokObjEnd {
			break
		}
		members = true
		if err := ps.member(rules, path, inOr); err != nil {
			return err
		}
	}
	if !members {
		return fail("Empty objects are not allowed")
	}
	return nil
}

func (ps *parser) member(rules *[]rule, path []string, inOr bool) error {
	name := string(ps.lx.text)
	if name == "$or" {
		return ps.or(rules, path)
	}
	if inOr && isOrReserved(name) {
		return fail(name + " is Ruler reserved fieldName which cannot be used inside $or.")
	}
	t, err := ps.lx.next()
	if err != nil {
		return err
	}
	switch t {
	case tokObjStart:
		return ps.object(rules, append(path[:len(path):len(path)], name), inOr)
	case tokArrStart:
		return ps.values(rules, strings.Join(append(path[:len(path):len(path)], name), "."))
	}
	return fail(`"` + name + `" must be an object or an array`)
}

func copyRules(rules []rule) []rule {
	out := make([]rule, len(rules))
	for i, r := range rules {
		out[i] = maps.Clone(r)
	}
	return out
}

func (ps *parser) or(rules *[]rule, path []string) error {
	current := copyRules(*rules)
	*rules = nil
	t, err := ps.lx.next()
	if err != nil {
		return err
	}
	if t != tokArrStart {
		return fail("It must be an Array followed with $or.")
	}
	n := 0
	for {
		if t, err = ps.lx.next(); err != nil {
			return err
		}
		if t == tokArrEnd {
			break
		}
		n++
		if t != tokObjStart {
			return fail("Only JSON object is allowed in array of $or relationship.")
		}
		alt := copyRules(current)
		if len(alt) == 0 {
			alt = append(alt, rule{})
		}
		if err := ps.object(&alt, path, true); err != nil {
			return err
		}
		*rules = append(*rules, alt...)
	}
	if n < 2 {
		return fail("There must have at least 2 Objects in $or relationship.")
	}
	return nil
}

// values parses the array of match values of a field whose '[' was read.
func (ps *parser) values(rules *[]rule, name string) error {
	var conds []cond
	for {
		t, err := ps.lx.next()
		if err != nil {
			return err
		}
		if t == tokArrEnd {
			break
		}
		c, err := ps.value(t)
		if err != nil {
			return err
		}
		conds = append(conds, c)
	}
	if len(conds) == 0 {
		return fail("Empty arrays are not allowed")
	}
	if len(*rules) == 0 {
		*rules = append(*rules, rule{})
	}
	for _, r := range *rules {
		r[name] = conds
	}
	return nil
}

func (ps *parser) value(t tokKind) (cond, error) {
	text := ps.lx.text
	switch t {
	case tokObjStart:
		return ps.expression()
	case tokString:
		return exactString(text), nil
	case tokNumber:
		return exactNumber(text), nil
	case tokTrue, tokFalse, tokNull:
		return cond{kind: cExact, str: string(text), lit: true}, nil
	}
	return cond{}, fail("Match value must be String, number, true, false, or null")
}

// exactString is an exact string match; strings that are IP addresses match
// the address in any spelling, as in event-ruler.
func exactString(text []byte) cond {
	if looksLikeIPv4(text) || looksLikeIPv6(text) {
		if ip, ok := parseIP(text); ok {
			return cond{kind: cIP, str: string(text), ip: ipRange{lo: ip, hi: ip}}
		}
	}
	return cond{kind: cExact, str: string(text)}
}

// exactNumber matches numbers by value when the literal is an exact float64,
// otherwise by its text.
func exactNumber(text []byte) cond {
	if k, ok := numKey(text); ok {
		return cond{kind: cExact, num: k, isNum: true, str: string(text)}
	}
	return cond{kind: cExact, str: string(text), lit: true}
}

// tokenText is Jackson's getText() for the current token.
func (ps *parser) tokenText(t tokKind) string {
	switch t {
	case tokObjStart:
		return "{"
	case tokObjEnd:
		return "}"
	case tokArrStart:
		return "["
	case tokArrEnd:
		return "]"
	case tokEOF:
		return "null"
	}
	return string(ps.lx.text)
}

// expectEnd reads the closing '}' of a match expression.
func (ps *parser) expectEnd(reason string) error {
	t, err := ps.lx.next()
	if err != nil {
		return err
	}
	if t != tokObjEnd {
		return fail(reason)
	}
	return nil
}

const oneKey = "Only one key allowed in match expression"

func (ps *parser) expression() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokField {
		return cond{}, fail("Match expression name not found")
	}
	switch name := string(ps.lx.text); name {
	case "exactly":
		return ps.stringOp(cExact, "exact match pattern must be a string")
	case "prefix":
		return ps.affix(cPrefix, cPrefixFold, "prefix")
	case "suffix":
		return ps.affix(cSuffix, cSuffixFold, "suffix")
	case "equals-ignore-case":
		return ps.stringOp(cFold, "equals-ignore-case match pattern must be a string")
	case "numeric":
		return ps.numeric()
	case "anything-but":
		return ps.anythingBut()
	case "exists":
		return ps.exists()
	case "cidr":
		return ps.cidr()
	case "wildcard":
		if !ps.sns {
			return ps.wildcard()
		}
		return cond{}, fail("Unrecognized match type " + name)
	default:
		return cond{}, fail("Unrecognized match type " + name)
	}
}

func (ps *parser) stringOp(kind condKind, reason string) (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokString {
		return cond{}, fail(reason)
	}
	c := cond{kind: kind, str: string(ps.lx.text)}
	return c, ps.expectEnd(oneKey)
}

func (ps *parser) affix(kind, foldKind condKind, op string) (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t == tokObjStart {
		return ps.affixFold(foldKind, op)
	}
	if t != tokString {
		return cond{}, fail(op + " match pattern must be a string")
	}
	c := cond{kind: kind, str: string(ps.lx.text)}
	return c, ps.expectEnd(oneKey)
}

func (ps *parser) affixFold(kind condKind, op string) (cond, error) {
	title := strings.ToUpper(op[:1]) + op[1:]
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokField {
		return cond{}, fail(title + " expression name not found")
	}
	if name := string(ps.lx.text); name != "equals-ignore-case" {
		return cond{}, fail("Unsupported " + op + " pattern: " + name)
	}
	c, err := ps.stringOp(kind, "equals-ignore-case match pattern must be a string")
	if err != nil {
		return cond{}, err
	}
	return c, ps.expectEnd(oneKey)
}

func (ps *parser) exists() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	var c cond
	switch t {
	case tokTrue:
		c.kind = cExists
	case tokFalse:
		c.kind = cAbsent
	default:
		return cond{}, fail("exists match pattern must be either true or false.")
	}
	return c, ps.expectEnd(oneKey)
}

func (ps *parser) cidr() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokString {
		return cond{}, fail("prefix match pattern must be a string")
	}
	r, err := parseCIDR(string(ps.lx.text))
	if err != nil {
		return cond{}, err
	}
	c := cond{kind: cCIDR, str: string(ps.lx.text), ip: r}
	return c, ps.expectEnd(oneKey)
}

func (ps *parser) wildcard() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokString {
		return cond{}, fail("wildcard match pattern must be a string")
	}
	s := string(ps.lx.text)
	w, err := parseWildcard(s)
	if err != nil {
		return cond{}, err
	}
	c := cond{kind: cWildcard, str: s, wcs: []*wildcard{w}}
	return c, ps.expectEnd(oneKey)
}
