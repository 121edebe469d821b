package pattern

// A plain reference evaluator: it decodes the event with encoding/json,
// flattens every leaf, and checks each branch of a pattern by backtracking
// over its fields, with event-ruler's array consistency. It shares only the
// parser (the pattern's conditions) with the compiled matcher.

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// refValue is a decoded JSON leaf.
type refValue struct {
	kind string // "string", "number", "literal"
	text string
}

type refField struct {
	path string
	v    refValue
	mem  map[int]int // array id → element index
}

type refEvent struct {
	fields []refField
	arrays int
}

// refFlatten decodes a JSON object event into leaves; duplicate keys are kept.
func refFlatten(raw []byte) (*refEvent, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not an object")
	}
	ev := &refEvent{}
	if err := ev.object(dec, "\x00top", map[int]int{}); err != nil {
		return nil, err
	}
	return ev, nil
}

// joinPath joins keys with '.'; the top level is the marker "\x00top".
func joinPath(prefix, key string) string {
	if prefix == "\x00top" {
		return key
	}
	return prefix + "." + key
}

func (ev *refEvent) object(dec *json.Decoder, path string, mem map[int]int) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok && d == '}' {
			return nil
		}
		key, _ := tok.(string)
		tok, err = dec.Token()
		if err != nil {
			return err
		}
		if err := ev.value(dec, tok, joinPath(path, key), mem); err != nil {
			return err
		}
	}
}

func (ev *refEvent) value(dec *json.Decoder, tok json.Token, path string, mem map[int]int) error {
	switch x := tok.(type) {
	case json.Delim:
		if x == '{' {
			return ev.object(dec, path, mem)
		}
		return ev.array(dec, path, mem)
	case string:
		ev.add(path, refValue{"string", x}, mem)
	case json.Number:
		ev.add(path, refValue{"number", string(x)}, mem)
	case bool:
		ev.add(path, refValue{"literal", strconv.FormatBool(x)}, mem)
	case nil:
		ev.add(path, refValue{"literal", "null"}, mem)
	}
	return nil
}

func (ev *refEvent) array(dec *json.Decoder, path string, mem map[int]int) error {
	id := ev.arrays
	ev.arrays++
	for i := 0; ; i++ {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, isDelim := tok.(json.Delim)
		if isDelim && d == ']' {
			return nil
		}
		m := mem
		if isDelim {
			m = cloneMem(mem)
			m[id] = i
		}
		if err := ev.value(dec, tok, path, m); err != nil {
			return err
		}
	}
}

func cloneMem(m map[int]int) map[int]int {
	out := make(map[int]int, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (ev *refEvent) add(path string, v refValue, mem map[int]int) {
	ev.fields = append(ev.fields, refField{path: path, v: v, mem: cloneMem(mem)})
}

// refMatch reports whether the JSON event matches p.
func refMatch(p *Pattern, raw []byte) (bool, error) {
	ev, err := refFlatten(raw)
	if err != nil {
		return false, err
	}
	for _, br := range p.branches {
		if ev.branch(br, 0, map[int]int{}) {
			return true, nil
		}
	}
	return false, nil
}

// branch tries to satisfy br[i:] given the memberships chosen so far.
func (ev *refEvent) branch(br branch, i int, mem map[int]int) bool {
	if i == len(br) {
		return true
	}
	f := br[i]
	if refHasAbsent(f.conds) && !ev.presentAt(f.path, mem) && ev.branch(br, i+1, mem) {
		return true
	}
	for _, ef := range ev.fields {
		if ef.path != f.path || !refConsistent(mem, ef.mem) || !refAnyCond(f.conds, ef.v) {
			continue
		}
		next := cloneMem(mem)
		for k, v := range ef.mem {
			next[k] = v
		}
		if ev.branch(br, i+1, next) {
			return true
		}
	}
	return false
}

func refHasAbsent(conds []cond) bool {
	for _, c := range conds {
		if c.kind == cAbsent {
			return true
		}
	}
	return false
}

func (ev *refEvent) presentAt(path string, mem map[int]int) bool {
	for _, ef := range ev.fields {
		if ef.path == path && refConsistent(mem, ef.mem) {
			return true
		}
	}
	return false
}

func refConsistent(a, b map[int]int) bool {
	for k, v := range b {
		if w, ok := a[k]; ok && w != v {
			return false
		}
	}
	return true
}

func refAnyCond(conds []cond, v refValue) bool {
	for i := range conds {
		if refCond(&conds[i], v) {
			return true
		}
	}
	return false
}

// refNumber is the reference notion of a comparable number: finite, and its
// shortest float64 form has exactly the literal's value.
func refNumber(text string) (float64, bool) {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	exact, ok1 := new(big.Rat).SetString(text)
	short, ok2 := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return f, ok1 && ok2 && exact.Cmp(short) == 0
}

func refCond(c *cond, v refValue) bool {
	switch c.kind {
	case cExists:
		return true
	case cAbsent:
		return false
	case cExact:
		return refExact(c, v)
	case cNumeric:
		f, ok := refNumber(v.text)
		return v.kind == "number" && ok && refInRange(c, floatKey(f))
	case cIP, cCIDR:
		ip, ok := parseIP([]byte(v.text))
		return v.kind == "string" && ok && c.ip.contains(ip)
	}
	if c.kind >= cAnyBut {
		return refAnyBut(c, v)
	}
	return v.kind == "string" && refStringOp(c.kind, c.str, c.wcsOrNil(), v.text)
}

func (c *cond) wcsOrNil() *wildcard {
	if len(c.wcs) == 0 {
		return nil
	}
	return c.wcs[0]
}

func refExact(c *cond, v refValue) bool {
	f, ok := refNumber(v.text)
	switch {
	case c.isNum:
		return v.kind == "number" && ok && floatKey(f) == c.num
	case c.lit:
		return v.kind != "string" && !(v.kind == "number" && ok) && v.text == c.str
	}
	return v.kind == "string" && v.text == c.str
}

func refInRange(c *cond, k uint64) bool {
	if k < c.lo || k > c.hi {
		return false
	}
	return !(k == c.lo && c.loOpen) && !(k == c.hi && c.hiOpen)
}

func refStringOp(kind condKind, pat string, w *wildcard, s string) bool {
	switch kind {
	case cPrefix, cAnyButPrefix:
		return strings.HasPrefix(s, pat)
	case cSuffix, cAnyButSuffix:
		return strings.HasSuffix(s, pat)
	case cFold, cAnyButFold:
		return foldEqual([]byte(s), pat)
	case cPrefixFold:
		return foldPrefix([]byte(s), pat)
	case cSuffixFold:
		return foldSuffix([]byte(s), pat)
	case cWildcard, cAnyButWildcard:
		return refGlob(w, s)
	}
	return false
}

// refGlob matches s against the wildcard by dynamic programming over the
// pattern's bytes and stars (independent of wildcard.match's greedy scan).
func refGlob(w *wildcard, s string) bool {
	var toks []int // byte value, or -1 for '*'
	for i, seg := range w.segs {
		if i > 0 {
			toks = append(toks, -1)
		}
		for _, c := range seg {
			toks = append(toks, int(c))
		}
	}
	// reach[j]: the first j tokens can match the input read so far.
	reach := make([]bool, len(toks)+1)
	reach[0] = true
	closeStars(toks, reach)
	for i := 0; i < len(s); i++ {
		next := make([]bool, len(toks)+1)
		for j, ok := range reach[:len(toks)] {
			if !ok {
				continue
			}
			if toks[j] == -1 {
				next[j] = true
			} else if toks[j] == int(s[i]) {
				next[j+1] = true
			}
		}
		closeStars(toks, next)
		reach = next
	}
	return reach[len(toks)]
}

func closeStars(toks []int, reach []bool) {
	for j := range toks {
		if reach[j] && toks[j] == -1 {
			reach[j+1] = true
		}
	}
}

func refAnyBut(c *cond, v refValue) bool {
	if c.kind == cAnyBut {
		if c.isNum {
			f, ok := refNumber(v.text)
			if v.kind != "number" || !ok {
				return true
			}
			for _, n := range c.nums {
				if n == floatKey(f) {
					return false
				}
			}
			return true
		}
		for _, s := range c.strs {
			if v.kind == "string" && v.text == s {
				return false
			}
		}
		return true
	}
	if v.kind != "string" {
		return true
	}
	for i, s := range c.strs {
		var w *wildcard
		if c.kind == cAnyButWildcard {
			w = c.wcs[i]
		}
		if refStringOp(c.kind, s, w, v.text) {
			return false
		}
	}
	return true
}
