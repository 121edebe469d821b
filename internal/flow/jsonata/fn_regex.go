package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

type matchSource interface {
	next() (*regexMatch, error)
}

type fnMatchIter struct {
	ev    *evaluator
	str   string
	first bool
	fn    any
	cur   *object
}

func (it *fnMatchIter) next() (*regexMatch, error) {
	var res any
	var err error
	if it.first {
		it.first = false
		res, err = it.ev.apply(it.fn, []any{it.str}, nil, nil)
	} else {
		if it.cur == nil {
			return nil, nil
		}
		nf, _ := it.cur.get("next")
		if !isFunc(nf) {
			return nil, nil
		}
		res, err = it.ev.apply(nf, nil, nil, nil)
	}
	if err != nil {
		return nil, err
	}
	if isUndef(res) {
		it.cur = nil
		return nil, nil
	}
	o, ok := res.(*object)
	if !ok {
		return nil, &Error{Code: "T1010", Position: -1}
	}
	it.cur = o
	m := &regexMatch{}
	if v, ok := o.get("match"); ok {
		m.match, _ = v.(string)
	}
	if v, ok := o.get("start"); ok {
		f, _ := v.(float64)
		m.start = byteOffset(it.str, int(f))
	}
	m.end = m.start + len(m.match)
	if v, ok := o.get("groups"); ok {
		if a, ok := v.(*array); ok {
			m.groups = a.items
		}
	}
	return m, nil
}

func byteOffset(s string, idx int) int {
	n := 0
	for i, r := range s {
		if n >= idx {
			return i
		}
		n += len(utf16.Encode([]rune{r}))
	}
	return len(s)
}

func (ev *evaluator) matches(fn any, str string) matchSource {
	if m, ok := fn.(*matcher); ok {
		return m.iter(str)
	}
	return &fnMatchIter{ev: ev, str: str, first: true, fn: fn}
}

func fnContains(ev *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	if tok, ok := args[1].(string); ok {
		return strings.Contains(s, tok), nil
	}
	m, err := ev.matches(args[1], s).next()
	if err != nil {
		return nil, err
	}
	return m != nil, nil
}

func limitArg(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok
}

func fnMatch(ev *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	limit, hasLimit := limitArg(args[2])
	if hasLimit && limit < 0 {
		e := errVal("D3040", limit)
		e.index = 3
		return nil, e
	}
	result := newSeq()
	if hasLimit && limit <= 0 {
		return result, nil
	}
	it := ev.matches(args[1], s)
	count := 0.0
	for !hasLimit || count < limit {
		m, err := it.next()
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		o := newObject(3)
		o.set("match", m.match)
		o.set("index", float64(utf16Index(s, m.start)))
		o.set("groups", &array{items: append([]any{}, m.groups...)})
		result.push(o)
		count++
	}
	return result, nil
}

func substituteDollars(replacement string, m *regexMatch) string {
	var b strings.Builder
	pos := 0
	idx := strings.IndexByte(replacement, '$')
	for idx != -1 && pos < len(replacement) {
		b.WriteString(replacement[pos:idx])
		pos = idx + 1
		if pos >= len(replacement) {
			b.WriteByte('$')
			break
		}
		d := replacement[pos]
		switch {
		case d == '$':
			b.WriteByte('$')
			pos++
		case d == '0':
			b.WriteString(m.match)
			pos++
		default:
			maxDigits := 1
			if len(m.groups) > 0 {
				maxDigits = int(math.Floor(math.Log(float64(len(m.groups)))*math.Log10E)) + 1
			}
			n, ok := parseLeadingInt(replacement[pos:min(len(replacement), pos+maxDigits)])
			if maxDigits > 1 && n > len(m.groups) {
				n, ok = parseLeadingInt(replacement[pos:min(len(replacement), pos+maxDigits-1)])
			}
			if ok {
				if len(m.groups) > 0 && n >= 1 && n <= len(m.groups) {
					if g, isStr := m.groups[n-1].(string); isStr {
						b.WriteString(g)
					}
				}
				pos += len(strconv.Itoa(n))
			} else {
				b.WriteByte('$')
			}
		}
		idx = strings.IndexByte(replacement[pos:], '$')
		if idx >= 0 {
			idx += pos
		}
	}
	if pos < len(replacement) {
		b.WriteString(replacement[pos:])
	}
	return b.String()
}

func parseLeadingInt(s string) (int, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	n, _ := strconv.Atoi(s[:i])
	return n, true
}

func fnReplace(ev *evaluator, args []any, c *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	if p, ok := args[1].(string); ok && p == "" {
		e := errVal("D3010", p)
		e.index = 2
		return nil, e
	}
	limit, hasLimit := limitArg(args[3])
	if hasLimit && limit < 0 {
		e := errVal("D3011", limit)
		e.index = 4
		return nil, e
	}
	if hasLimit && limit <= 0 {
		return s, nil
	}
	if p, ok := args[1].(string); ok {
		rep, _ := args[2].(string)
		var b strings.Builder
		pos, count := 0, 0.0
		for !hasLimit || count < limit {
			i := strings.Index(s[pos:], p)
			if i < 0 {
				break
			}
			b.WriteString(s[pos : pos+i])
			b.WriteString(rep)
			pos += i + len(p)
			count++
			if b.Len() > MaxSize {
				return nil, errMsg("U1003", "string too long")
			}
		}
		b.WriteString(s[pos:])
		return b.String(), nil
	}
	it := ev.matches(args[1], s)
	m, err := it.next()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return s, nil
	}
	var b strings.Builder
	pos, count := 0, 0.0
	for m != nil && (!hasLimit || count < limit) {
		b.WriteString(s[pos:m.start])
		var with any
		if rep, ok := args[2].(string); ok {
			with = substituteDollars(rep, m)
		} else {
			mo := newObject(4)
			mo.set("match", m.match)
			mo.set("start", float64(utf16Index(s, m.start)))
			mo.set("end", float64(utf16Index(s, m.end)))
			mo.set("groups", &array{items: append([]any{}, m.groups...)})
			if with, err = ev.apply(args[2], []any{mo}, nil, c.env); err != nil {
				return nil, err
			}
		}
		ws, isStr := with.(string)
		if !isStr {
			return nil, errVal("D3012", with)
		}
		b.WriteString(ws)
		if b.Len() > MaxSize {
			return nil, errMsg("U1003", "string too long")
		}
		pos = m.start + len(m.match)
		count++
		if m, err = it.next(); err != nil {
			return nil, err
		}
	}
	b.WriteString(s[pos:])
	return b.String(), nil
}

func fnSplit(ev *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	limit, hasLimit := limitArg(args[2])
	if hasLimit && limit < 0 {
		e := errVal("D3020", limit)
		e.index = 3
		return nil, e
	}
	result := &array{}
	if hasLimit && limit <= 0 {
		return result, nil
	}
	if sep, ok := args[1].(string); ok {
		var parts []string
		if sep == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
		if hasLimit && float64(len(parts)) > limit {
			parts = parts[:int(limit)]
		}
		for _, p := range parts {
			result.push(p)
		}
		return result, nil
	}
	it := ev.matches(args[1], s)
	m, err := it.next()
	if err != nil {
		return nil, err
	}
	if m == nil {
		result.push(s)
		return result, nil
	}
	start, count := 0, 0.0
	for m != nil && (!hasLimit || count < limit) {
		result.push(s[start:m.start])
		start = m.end
		if m, err = it.next(); err != nil {
			return nil, err
		}
		count++
	}
	if !hasLimit || count < limit {
		result.push(s[start:])
	}
	return result, nil
}
