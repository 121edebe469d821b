package jsonata

import (
	"errors"
	"math"
)

func (ev *evaluator) binary(expr *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(expr.lhs, input, env)
	if err != nil {
		return nil, err
	}
	op := expr.value.(string)
	if op == "and" || op == "or" {
		l := boolize(lhs)
		if (op == "and" && !l) || (op == "or" && l) {
			return l, nil
		}
		rhs, err := ev.eval(expr.rhs, input, env)
		if err != nil {
			return nil, withOp(err, expr.pos, op)
		}
		return boolize(rhs), nil
	}
	rhs, err := ev.eval(expr.rhs, input, env)
	if err != nil {
		return nil, err
	}
	var result any
	switch op {
	case "+", "-", "*", "/", "%":
		result, err = numericOp(lhs, rhs, op)
	case "=", "!=":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		eq := deepEqual(lhs, rhs)
		if op == "=" {
			return eq, nil
		}
		return !eq, nil
	case "<", "<=", ">", ">=":
		result, err = compareOp(lhs, rhs, op)
	case "&":
		result, err = concatOp(lhs, rhs)
	case "..":
		result, err = rangeOp(lhs, rhs)
	case "in":
		result = inOp(lhs, rhs)
	}
	if err != nil {
		return nil, withOp(err, expr.pos, op)
	}
	return result, nil
}

func withOp(err error, pos int, op string) error {
	if e := (*Error)(nil); errors.As(err, &e) {
		e.Position = pos
		e.token, e.hasToken = op, true
	}
	return err
}

func boolize(v any) bool {
	b, _ := toBoolean(v)
	return b
}

func numericOp(lhs, rhs any, op string) (any, error) {
	if !isUndef(lhs) {
		n, err := isNumeric(lhs)
		if err != nil {
			return nil, err
		}
		if !n {
			return nil, errVal("T2001", lhs)
		}
	}
	if !isUndef(rhs) {
		n, err := isNumeric(rhs)
		if err != nil {
			return nil, err
		}
		if !n {
			return nil, errVal("T2002", rhs)
		}
	}
	if isUndef(lhs) || isUndef(rhs) {
		return Undefined, nil
	}
	l, r := lhs.(float64), rhs.(float64)
	switch op {
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "*":
		return l * r, nil
	case "/":
		return l / r, nil
	default:
		return math.Mod(l, r), nil
	}
}

func compareOp(lhs, rhs any, op string) (any, error) {
	lt, rt := typeSymbol(lhs), typeSymbol(rhs)
	lc := lt == 'm' || lt == 's' || lt == 'n'
	rc := rt == 'm' || rt == 's' || rt == 'n'
	if !lc || !rc {
		v := rhs
		if lt != 's' && lt != 'n' {
			v = lhs
		}
		return nil, errVal("T2010", v)
	}
	if lt == 'm' || rt == 'm' {
		return Undefined, nil
	}
	if lt != rt {
		e := errVal("T2009", lhs)
		e.value2 = rhs
		return nil, e
	}
	var c int
	if lt == 'n' {
		l, r := lhs.(float64), rhs.(float64)
		if math.IsNaN(l) || math.IsNaN(r) {
			return false, nil
		}
		switch {
		case l < r:
			c = -1
		case l > r:
			c = 1
		}
	} else {
		c = compareStrings(lhs.(string), rhs.(string))
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	default:
		return c >= 0, nil
	}
}

func concatOp(lhs, rhs any) (any, error) {
	l, r := "", ""
	var err error
	if !isUndef(lhs) {
		if l, err = toStringValue(lhs, false); err != nil {
			return nil, err
		}
	}
	if !isUndef(rhs) {
		if r, err = toStringValue(rhs, false); err != nil {
			return nil, err
		}
	}
	if len(l)+len(r) > MaxSize {
		return nil, errMsg("U1003", "string too long")
	}
	return l + r, nil
}

func isInteger(v any) bool {
	f, ok := v.(float64)
	return ok && !math.IsInf(f, 0) && f == math.Trunc(f)
}

func rangeOp(lhs, rhs any) (any, error) {
	if !isUndef(lhs) && !isInteger(lhs) {
		return nil, errVal("T2003", lhs)
	}
	if !isUndef(rhs) && !isInteger(rhs) {
		return nil, errVal("T2004", rhs)
	}
	if isUndef(lhs) || isUndef(rhs) {
		return Undefined, nil
	}
	l, r := lhs.(float64), rhs.(float64)
	if l > r {
		return Undefined, nil
	}
	size := r - l + 1
	if size > 1e7 {
		return nil, errVal("D2014", size)
	}

	out := &array{items: make([]any, 0, int(size)), sequence: true}
	for v := l; v <= r; v++ {
		out.items = append(out.items, v)
	}
	return out, nil
}

func inOp(lhs, rhs any) any {
	if isUndef(lhs) || isUndef(rhs) {
		return false
	}
	items := []any{rhs}
	if a, ok := rhs.(*array); ok {
		items = a.items
	}
	for _, it := range items {
		if strictEqual(it, lhs) {
			return true
		}
	}
	return false
}

// strictEqual is JavaScript ===.
func strictEqual(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case *array:
		y, ok := b.(*array)
		return ok && x == y
	case *object:
		y, ok := b.(*object)
		return ok && x == y
	}
	return false
}

func (ev *evaluator) unary(expr *node, input any, env *frame) (any, error) {
	switch expr.value {
	case "-":
		v, err := ev.eval(expr.expression, input, env)
		if err != nil {
			return nil, err
		}
		if isUndef(v) {
			return Undefined, nil
		}
		n, err := isNumeric(v)
		if err != nil {
			return nil, err
		}
		if !n {
			e := errTok("D1002", expr.pos, "-")
			e.value = v
			return nil, e
		}
		return -v.(float64), nil
	case "[":
		result := &array{}
		for _, item := range expr.expressions {
			v, err := ev.eval(item, input, env)
			if err != nil {
				return nil, err
			}
			if isUndef(v) {
				continue
			}
			if item.typ == "unary" && item.value == "[" {
				result.push(v)
			} else {
				result = appendValues(result, v).(*array)
			}
		}
		if len(result.items) > MaxSize {
			return nil, errMsg("U1003", "array too large")
		}
		if expr.consarray {
			result.cons = true
		}
		return result, nil
	case "{":
		return ev.group(&groupSpec{pairs: expr.pairs, pos: expr.pos}, input, env)
	}
	return Undefined, nil
}

// appendValues is fn.append: arrays are concatenated into a new plain
// array (JavaScript's concat keeps no sequence flag).
func appendValues(a1, a2 any) any {
	if isUndef(a1) {
		return a2
	}
	if isUndef(a2) {
		return a1
	}
	var out *array
	if a, ok := a1.(*array); ok {
		out = &array{items: append([]any(nil), a.items...)}
	} else {
		out = &array{items: []any{a1}}
	}
	if b, ok := a2.(*array); ok {
		out.items = append(out.items, b.items...)
	} else {
		out.items = append(out.items, a2)
	}
	return out
}

func (ev *evaluator) group(g *groupSpec, input any, env *frame) (any, error) {
	result := newObject(len(g.pairs))
	type entry struct {
		data      any
		exprIndex int
		owned     bool // data is an array built here, safe to extend
	}
	groups := map[string]*entry{}
	var order []string
	in, ok := input.(*array)
	reduce := ok && in.tupleStream
	if !ok {
		in = newSeq(input)
	}
	items := in.items
	if len(items) == 0 {
		items = []any{Undefined}
	}
	for _, item := range items {
		fenv, ctx := env, item
		if reduce {
			fenv, ctx = frameFromTuple(env, asTuple(item)), asTuple(item)["@"]
		}
		for pi, pair := range g.pairs {
			key, err := ev.eval(pair[0], ctx, fenv)
			if err != nil {
				return nil, err
			}
			if isUndef(key) {
				continue
			}
			ks, isStr := key.(string)
			if !isStr {
				e := errVal("T1003", key)
				e.Position = g.pos
				return nil, e
			}
			if en, exists := groups[ks]; exists {
				if en.exprIndex != pi {
					e := errVal("D1009", ks)
					e.Position = g.pos
					return nil, e
				}
				// fn.append, extending an array built here in place
				if !en.owned {
					items := []any{en.data}
					if a, ok := en.data.(*array); ok {
						items = append([]any(nil), a.items...)
					}
					en.data, en.owned = &array{items: items}, true
				}
				acc := en.data.(*array)
				if a, ok := item.(*array); ok {
					acc.items = append(acc.items, a.items...)
				} else {
					acc.items = append(acc.items, item)
				}
			} else {
				groups[ks] = &entry{data: item, exprIndex: pi}
				order = append(order, ks)
			}
		}
	}
	for _, k := range order {
		en := groups[k]
		ctx, fenv := en.data, env
		if reduce {
			t := reduceTupleStream(en.data)
			ctx = t["@"]
			delete(t, "@")
			fenv = frameFromTuple(env, t)
		}
		v, err := ev.eval(g.pairs[en.exprIndex][1], ctx, fenv)
		if err != nil {
			return nil, err
		}
		if !isUndef(v) {
			result.set(k, v)
		}
	}
	return result, nil
}

func reduceTupleStream(data any) tuple {
	a, ok := data.(*array)
	if !ok {
		t := asTuple(data)
		out := make(tuple, len(t))
		for k, v := range t {
			out[k] = v
		}
		return out
	}
	out := tuple{}
	for k, v := range asTuple(a.items[0]) {
		out[k] = v
	}
	for _, it := range a.items[1:] {
		for k, v := range asTuple(it) {
			prev, ok := out[k]
			if !ok {
				prev = Undefined
			}
			out[k] = appendValues(prev, v)
		}
	}
	return out
}

// sortCompare reports whether a sorts after b.
// mergeSort is jsonata-js's stable merge sort; after(a, b) reports whether a
// must come after b.
