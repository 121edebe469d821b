package pattern

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// condKind is the kind of one match condition of a field.
type condKind uint8

const (
	cExact          condKind = iota // a string, number or literal
	cIP                             // an exact string that is an IP address
	cPrefix                         // prefix
	cSuffix                         // suffix
	cFold                           // equals-ignore-case
	cPrefixFold                     // prefix + equals-ignore-case
	cSuffixFold                     // suffix + equals-ignore-case
	cWildcard                       // wildcard
	cAnyBut                         // anything-but values (all strings or all numbers)
	cAnyButPrefix                   // anything-but prefix
	cAnyButSuffix                   // anything-but suffix
	cAnyButFold                     // anything-but equals-ignore-case
	cAnyButWildcard                 // anything-but wildcard
	cNumeric                        // numeric range
	cCIDR                           // cidr
	cExists                         // exists: true
	cAbsent                         // exists: false
)

// valKind is the type of an event leaf value.
type valKind uint8

const (
	vString  valKind = iota // a JSON string; b is the decoded content
	vNumber                 // a JSON number; b is the literal
	vLiteral                // true, false or null; b is the literal
	vNone                   // present without a comparable value (SNS Binary)
)

// value is one leaf value of an event.
type value struct {
	kind  valKind
	b     []byte
	num   uint64 // numKey, when numOK
	numOK bool
}

func newValue(kind valKind, b []byte) value {
	v := value{kind: kind, b: b}
	if kind == vNumber {
		v.num, v.numOK = numKey(b)
	}
	return v
}

// cond is one condition of a field: the field matches when any of its
// conditions matches one of the field's values (or, for cAbsent, when the
// field has no value).
type cond struct {
	kind   condKind
	str    string // exact string or literal, affix, fold or wildcard text
	lit    bool   // cExact: str is a literal (true/false/null or an inexact number)
	num    uint64 // cExact number key or numeric bound
	isNum  bool   // cExact: num is a number key; cAnyBut: nums are used
	strs   []string
	nums   []uint64
	wcs    []*wildcard
	lo, hi uint64
	loOpen bool
	hiOpen bool
	ip     ipRange
}

// matches reports whether the condition accepts v. cAbsent never accepts a
// value and cExists accepts every value.
func (c *cond) matches(v *value) bool {
	if v.kind == vNone {
		return c.kind == cExists
	}
	switch c.kind {
	case cExact:
		return c.matchExact(v)
	case cIP, cCIDR:
		return c.matchIP(v)
	case cNumeric:
		return v.kind == vNumber && v.numOK && c.inRange(v.num)
	case cExists:
		return true
	case cAbsent:
		return false
	}
	if c.kind >= cAnyBut {
		return c.matchAnyBut(v)
	}
	return v.kind == vString && c.matchString(v.b)
}

func (c *cond) matchExact(v *value) bool {
	switch {
	case c.isNum:
		return v.kind == vNumber && v.numOK && v.num == c.num
	case c.lit:
		return v.kind != vString && !v.numOK && string(v.b) == c.str
	}
	return v.kind == vString && string(v.b) == c.str
}

func (c *cond) matchIP(v *value) bool {
	if v.kind != vString {
		return false
	}
	ip, ok := parseIP(v.b)
	return ok && c.ip.contains(ip)
}

func (c *cond) inRange(k uint64) bool {
	if k < c.lo || (c.loOpen && k == c.lo) {
		return false
	}
	return k < c.hi || (!c.hiOpen && k == c.hi)
}

// matchString applies the positive string operators.
func (c *cond) matchString(b []byte) bool {
	switch c.kind {
	case cPrefix:
		return bytes.HasPrefix(b, []byte(c.str))
	case cSuffix:
		return bytes.HasSuffix(b, []byte(c.str))
	case cFold:
		return foldEqual(b, c.str)
	case cPrefixFold:
		return foldPrefix(b, c.str)
	case cSuffixFold:
		return foldSuffix(b, c.str)
	case cWildcard:
		return c.wcs[0].match(b)
	}
	return false
}

// matchAnyBut applies the anything-but operators: they accept every value
// that is not excluded, including values of other types.
func (c *cond) matchAnyBut(v *value) bool {
	if c.kind == cAnyBut {
		if c.isNum {
			return !(v.kind == vNumber && v.numOK && slices.Contains(c.nums, v.num))
		}
		return !(v.kind == vString && slices.Contains(c.strs, string(v.b)))
	}
	if v.kind != vString {
		return true
	}
	for i, s := range c.strs {
		if c.excludes(i, s, v.b) {
			return false
		}
	}
	return true
}

func (c *cond) excludes(i int, s string, b []byte) bool {
	switch c.kind {
	case cAnyButPrefix:
		return bytes.HasPrefix(b, []byte(s))
	case cAnyButSuffix:
		return bytes.HasSuffix(b, []byte(s))
	case cAnyButFold:
		return foldEqual(b, s)
	case cAnyButWildcard:
		return c.wcs[i].match(b)
	}
	return false
}

// key is a canonical text of the condition, used to share automaton edges
// between patterns with identical conditions.
func (c *cond) key() string {
	var sb strings.Builder
	sb.WriteByte(byte('A' + c.kind))
	sb.WriteString(strconv.Quote(c.str))
	if c.lit {
		sb.WriteByte('L')
	}
	if c.isNum {
		sb.WriteByte('N')
	}
	for _, u := range []uint64{c.num, c.lo, c.hi} {
		sb.WriteString(strconv.FormatUint(u, 36) + ",")
	}
	if c.loOpen {
		sb.WriteByte('(')
	}
	if c.hiOpen {
		sb.WriteByte(')')
	}
	strs := slices.Sorted(slices.Values(c.strs))
	for _, s := range strs {
		sb.WriteString(strconv.Quote(s))
	}
	nums := slices.Sorted(slices.Values(c.nums))
	for _, n := range nums {
		sb.WriteString(strconv.FormatUint(n, 36) + ";")
	}
	sb.Write(c.ip.lo.bytes())
	sb.WriteByte('-')
	sb.Write(c.ip.hi.bytes())
	return sb.String()
}
