package pattern

// Random patterns and events over a small vocabulary, driven by fuzz input,
// for the differential tests.

import (
	"strings"
)

type rnd struct {
	b []byte
	i int
}

func (r *rnd) intn(n int) int {
	if r.i >= len(r.b) {
		r.i++
		return (r.i * 7) % n
	}
	v := int(r.b[r.i])
	r.i++
	return v % n
}

func (r *rnd) pick(xs []string) string { return xs[r.intn(len(xs))] }

var (
	genStrings = []string{
		`"x"`, `"X"`, `"xy"`, `"Xylophone"`, `""`, `"a*b"`, `"10.0.0.1"`, `"2001:db8::1"`,
		`"file.txt"`, `"ß"`, `"SS"`, `"null"`, `"300"`,
	}
	genNumbers = []string{`1`, `1.0`, `-0`, `0`, `2.5`, `300`, `3e2`, `-7`, `12345678901234567890`, `0.1`}
	genLits    = []string{`true`, `false`, `null`}
	genTopKeys = []string{"a", "b", "c.d", "detail", "list"}
	genSubKeys = []string{"x", "y", "z.w"}
)

func (r *rnd) scalar() string {
	switch r.intn(3) {
	case 0:
		return r.pick(genStrings)
	case 1:
		return r.pick(genNumbers)
	}
	return r.pick(genLits)
}

func (r *rnd) strOperand() string {
	return r.pick([]string{`"x"`, `"X"`, `"xy"`, `""`, `"file"`, `".txt"`, `"ss"`, `"a"`})
}

func (r *rnd) operator() string {
	switch r.intn(14) {
	case 0:
		return `{"prefix":` + r.strOperand() + `}`
	case 1:
		return `{"suffix":` + r.strOperand() + `}`
	case 2:
		return `{"equals-ignore-case":` + r.strOperand() + `}`
	case 3:
		return `{"prefix":{"equals-ignore-case":` + r.strOperand() + `}}`
	case 4:
		return `{"suffix":{"equals-ignore-case":` + r.strOperand() + `}}`
	case 5:
		return `{"anything-but":` + r.pick([]string{`"x"`, `["x","xy"]`, `1`, `[1, 300]`, `"10.0.0.1"`}) + `}`
	case 6:
		op := r.pick([]string{"prefix", "suffix", "equals-ignore-case", "wildcard"})
		return `{"anything-but":{"` + op + `":` + r.pick([]string{`"x"`, `["X","fi"]`, `"a*"`}) + `}}`
	case 7:
		return `{"numeric":` + r.pick([]string{`[">",0]`, `["<",2.5]`, `[">=",1,"<",300]`, `["=",300]`, `[">",-1,"<=",0]`, `["<=",-7]`}) + `}`
	case 8:
		return `{"cidr":` + r.pick([]string{`"10.0.0.0/24"`, `"2001:db8::/32"`, `"0.0.0.0/0"`}) + `}`
	case 9:
		return `{"exists":` + r.pick([]string{"true", "false"}) + `}`
	case 10:
		return `{"wildcard":` + r.pick([]string{`"x*"`, `"*y"`, `"*"`, `"a\\*b"`, `"f*e*t"`, `""`}) + `}`
	}
	return r.scalar()
}

func (r *rnd) valueList() string {
	n := 1 + r.intn(3)
	vals := make([]string, n)
	for i := range vals {
		vals[i] = r.operator()
	}
	return "[" + strings.Join(vals, ",") + "]"
}

// pattern returns a random (usually valid) pattern.
func (r *rnd) pattern(depth int) string {
	n := 1 + r.intn(3)
	var members []string
	for range n {
		key := r.pick(genTopKeys)
		if depth > 0 {
			key = r.pick(genSubKeys)
		}
		switch {
		case depth == 0 && r.intn(8) == 0:
			members = append(members, `"$or":[`+r.pattern(depth+1)+`,`+r.pattern(depth+1)+`]`)
		case depth == 0 && (key == "detail" || key == "list"):
			members = append(members, `"`+key+`":`+r.pattern(depth+1))
		default:
			members = append(members, `"`+key+`":`+r.valueList())
		}
	}
	return "{" + strings.Join(members, ",") + "}"
}

func (r *rnd) eventValue(depth int) string {
	switch r.intn(6) {
	case 0:
		n := r.intn(3)
		vals := make([]string, n)
		for i := range vals {
			vals[i] = r.scalar()
		}
		return "[" + strings.Join(vals, ",") + "]"
	case 1:
		if depth == 0 {
			return r.eventObject(depth + 1)
		}
	case 2:
		if depth == 0 {
			return "[" + r.eventObject(depth+1) + "," + r.eventObject(depth+1) + "]"
		}
	}
	return r.scalar()
}

func (r *rnd) eventObject(depth int) string {
	keys := genTopKeys
	if depth > 0 {
		keys = genSubKeys
	}
	n := r.intn(4)
	members := make([]string, 0, n)
	for range n {
		members = append(members, `"`+r.pick(keys)+`":`+r.eventValue(depth))
	}
	return "{" + strings.Join(members, ",") + "}"
}
