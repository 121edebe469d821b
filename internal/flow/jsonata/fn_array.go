package jsonata

import (
	"math"
)

func hofArgs(fn any, a1, a2, a3 any) []any {
	args := []any{a1}
	n := 1
	if c, ok := fn.(callable); ok {
		n = c.arity()
	}
	if n >= 2 {
		args = append(args, a2)
	}
	if n >= 3 {
		args = append(args, a3)
	}
	return args
}

func arrayItems(v any) ([]any, bool) {
	a, ok := v.(*array)
	if !ok {
		return nil, false
	}
	return a.items, true
}

func fnMap(ev *evaluator, args []any, c *callCtx) (any, error) {
	items, ok := arrayItems(args[0])
	if !ok {
		return Undefined, nil
	}
	result := newSeq()
	for i, it := range items {
		res, err := ev.apply(args[1], hofArgs(args[1], it, float64(i), args[0]), nil, c.env)
		if err != nil {
			return nil, err
		}
		if !isUndef(res) {
			result.push(res)
		}
	}
	return result, nil
}

func fnFilter(ev *evaluator, args []any, c *callCtx) (any, error) {
	items, ok := arrayItems(args[0])
	if !ok {
		return Undefined, nil
	}
	result := newSeq()
	for i, it := range items {
		res, err := ev.apply(args[1], hofArgs(args[1], it, float64(i), args[0]), nil, c.env)
		if err != nil {
			return nil, err
		}
		if b, _ := toBoolean(res); b {
			result.push(it)
		}
	}
	return result, nil
}

func fnSingle(ev *evaluator, args []any, c *callCtx) (any, error) {
	items, ok := arrayItems(args[0])
	if !ok {
		return Undefined, nil
	}
	found := false
	result := Undefined
	for i, it := range items {
		positive := true
		if !isUndef(args[1]) {
			res, err := ev.apply(args[1], hofArgs(args[1], it, float64(i), args[0]), nil, c.env)
			if err != nil {
				return nil, err
			}
			positive, _ = toBoolean(res)
		}
		if !positive {
			continue
		}
		if found {
			e := newErr("D3138")
			e.index = i
			return nil, e
		}
		result, found = it, true
	}
	if !found {
		return nil, newErr("D3139")
	}
	return result, nil
}

func fnZip(_ *evaluator, args []any, _ *callCtx) (any, error) {
	result := &array{}
	if len(args) == 0 {
		return result, nil
	}
	n := math.MaxInt
	for _, a := range args {
		if items, ok := arrayItems(a); ok {
			n = min(n, len(items))
		} else {
			n = 0
		}
	}
	for i := 0; i < n; i++ {
		t := &array{}
		for _, a := range args {
			items, _ := arrayItems(a)
			t.push(items[i])
		}
		result.push(t)
	}
	return result, nil
}

func fnReduce(ev *evaluator, args []any, c *callCtx) (any, error) {
	items, ok := arrayItems(args[0])
	if !ok {
		return Undefined, nil
	}
	fn := args[1]
	arity := fn.(callable).arity()
	if arity < 2 {
		e := newErr("D3050")
		e.index = 1
		return nil, e
	}
	var result any
	index := 0
	if isUndef(args[2]) && len(items) > 0 {
		result, index = items[0], 1
	} else {
		result = args[2]
	}
	for ; index < len(items); index++ {
		fargs := []any{result, items[index]}
		if arity >= 3 {
			fargs = append(fargs, float64(index))
		}
		if arity >= 4 {
			fargs = append(fargs, args[0])
		}
		var err error
		if result, err = ev.apply(fn, fargs, nil, c.env); err != nil {
			return nil, err
		}
	}
	return result, nil
}

func fnKeys(_ *evaluator, args []any, _ *callCtx) (any, error) {
	return keysOf(args[0]), nil
}

func keysOf(v any) *array {
	result := newSeq()
	switch x := v.(type) {
	case *array:
		merged := newObject(0)
		for _, it := range x.items {
			for _, k := range keysOf(it).items {
				merged.set(k.(string), true)
			}
		}
		for _, k := range merged.keys {
			result.push(k)
		}
	case *object:
		for _, k := range x.keys {
			result.push(k)
		}
	}
	return result
}

func fnLookup(_ *evaluator, args []any, _ *callCtx) (any, error) {
	k, _ := args[1].(string)
	return lookupKey(args[0], k), nil
}

func fnAppend(_ *evaluator, args []any, _ *callCtx) (any, error) {
	return appendValues(args[0], args[1]), nil
}

func fnExists(_ *evaluator, args []any, _ *callCtx) (any, error) {
	return !isUndef(args[0]), nil
}

func spreadOf(v any) any {
	switch x := v.(type) {
	case *array:
		var result any = newSeq()
		for _, it := range x.items {
			result = appendValues(result, spreadOf(it))
		}
		return result
	case *object:
		result := newSeq()
		for _, k := range x.keys {
			o := newObject(1)
			o.set(k, x.m[k])
			result.push(o)
		}
		return result
	}
	return v
}

func fnSpread(_ *evaluator, args []any, _ *callCtx) (any, error) { return spreadOf(args[0]), nil }

func fnMerge(_ *evaluator, args []any, _ *callCtx) (any, error) {
	items, ok := arrayItems(args[0])
	if !ok {
		return Undefined, nil
	}
	result := newObject(0)
	for _, it := range items {
		if o, ok := it.(*object); ok {
			for _, k := range o.keys {
				result.set(k, o.m[k])
			}
		}
	}
	return result, nil
}

func fnReverse(_ *evaluator, args []any, _ *callCtx) (any, error) {
	a, ok := args[0].(*array)
	if !ok {
		return Undefined, nil
	}
	if len(a.items) <= 1 {
		return a, nil
	}
	out := &array{items: make([]any, len(a.items))}
	for i, it := range a.items {
		out.items[len(a.items)-1-i] = it
	}
	return out, nil
}

func fnEach(ev *evaluator, args []any, c *callCtx) (any, error) {
	result := newSeq()
	o, ok := args[0].(*object)
	if !ok {
		return result, nil
	}
	for _, k := range append([]string(nil), o.keys...) {
		v, present := o.m[k]
		if !present {
			continue
		}
		res, err := ev.apply(args[1], hofArgs(args[1], v, k, o), nil, c.env)
		if err != nil {
			return nil, err
		}
		if !isUndef(res) {
			result.push(res)
		}
	}
	return result, nil
}

func fnSift(ev *evaluator, args []any, c *callCtx) (any, error) {
	o, ok := args[0].(*object)
	if !ok {
		return Undefined, nil
	}
	result := newObject(0)
	for _, k := range append([]string(nil), o.keys...) {
		v := o.m[k]
		res, err := ev.apply(args[1], hofArgs(args[1], v, k, o), nil, c.env)
		if err != nil {
			return nil, err
		}
		if b, _ := toBoolean(res); b {
			result.set(k, v)
		}
	}
	if len(result.keys) == 0 {
		return Undefined, nil
	}
	return result, nil
}

func fnError(_ *evaluator, args []any, _ *callCtx) (any, error) {
	msg, _ := args[0].(string)
	if msg == "" {
		msg = "$error() function evaluated"
	}
	return nil, errMsg("D3137", msg)
}

func fnAssert(_ *evaluator, args []any, _ *callCtx) (any, error) {
	if b, _ := args[0].(bool); b {
		return Undefined, nil
	}
	msg, _ := args[1].(string)
	if msg == "" {
		msg = "$assert() statement failed"
	}
	return nil, errMsg("D3141", msg)
}

func fnType(_ *evaluator, args []any, _ *callCtx) (any, error) {
	switch x := args[0].(type) {
	case undefinedType:
		return Undefined, nil
	case nil:
		return "null", nil
	case float64:
		if math.IsInf(x, 0) {
			return nil, errVal("D1001", x)
		}
		if math.IsNaN(x) {
			return "object", nil
		}
		return "number", nil
	case string:
		return "string", nil
	case bool:
		return "boolean", nil
	case *array:
		return "array", nil
	case callable:
		return "function", nil
	}
	return "object", nil
}

func fnSort(ev *evaluator, args []any, c *callCtx) (any, error) {
	a, ok := args[0].(*array)
	if !ok {
		return Undefined, nil
	}
	if len(a.items) <= 1 {
		return a, nil
	}
	var cmpErr error
	var after func(x, y any) bool
	if isUndef(args[1]) {
		nums, err := isArrayOfNumbers(a)
		if err != nil {
			return nil, err
		}
		if !nums && !isArrayOfStrings(a) {
			e := newErr("D3070")
			e.index = 1
			return nil, e
		}
		after = func(x, y any) bool {
			if xs, ok := x.(string); ok {
				return compareStrings(xs, y.(string)) > 0
			}
			return x.(float64) > y.(float64)
		}
	} else {
		fn := args[1]
		after = func(x, y any) bool {
			if cmpErr != nil {
				return false
			}
			r, err := ev.apply(fn, []any{x, y}, nil, c.env)
			if err != nil {
				cmpErr = err
				return false
			}
			return jsTruthy(r)
		}
	}
	sorted := mergeSort(a.items, after)
	if cmpErr != nil {
		return nil, cmpErr
	}
	return &array{items: sorted}, nil
}

func fnShuffle(ev *evaluator, args []any, _ *callCtx) (any, error) {
	a, ok := args[0].(*array)
	if !ok {
		return Undefined, nil
	}
	if len(a.items) <= 1 {
		return a, nil
	}
	out := make([]any, len(a.items))
	for i, it := range a.items {
		j := int(math.Floor(ev.rand() * float64(i+1)))
		j = max(0, min(j, i))
		if i != j {
			out[i] = out[j]
		}
		out[j] = it
	}
	return &array{items: out}, nil
}

func fnDistinct(ev *evaluator, args []any, _ *callCtx) (any, error) {
	a, ok := args[0].(*array)
	if !ok || len(a.items) <= 1 {
		return args[0], nil
	}
	out := &array{sequence: a.sequence}
	for _, v := range a.items {
		// the comparison is quadratic: count it against the step budget
		ev.steps += len(out.items) / 16
		if ev.steps > MaxSteps {
			return nil, &Error{Code: "U1002", Position: -1}
		}
		dup := false
		for _, w := range out.items {
			if deepEqual(v, w) {
				dup = true
				break
			}
		}
		if !dup {
			out.push(v)
		}
	}
	return out, nil
}

func fnBoolean(_ *evaluator, args []any, _ *callCtx) (any, error) {
	b, ok := toBoolean(args[0])
	if !ok {
		return Undefined, nil
	}
	return b, nil
}

func fnNot(_ *evaluator, args []any, _ *callCtx) (any, error) {
	b, ok := toBoolean(args[0])
	if !ok {
		return Undefined, nil
	}
	return !b, nil
}

func fnClone(_ *evaluator, args []any, _ *callCtx) (any, error) {
	if isUndef(args[0]) {
		return Undefined, nil
	}
	return cloneValue(args[0]), nil
}

// compareStrings compares as JavaScript does (UTF-16 code units).
func compareStrings(a, b string) int {
	ar, br := []rune(a), []rune(b)
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		x, y := utf16Key(ar[i]), utf16Key(br[i])
		if x < y {
			return -1
		}
		return 1
	}
	switch {
	case len(ar) < len(br):
		return -1
	case len(ar) > len(br):
		return 1
	}
	return 0
}

// utf16Key orders a rune by its first UTF-16 code unit, then the second.
func utf16Key(r rune) uint32 {
	if r >= 0x10000 {
		r -= 0x10000
		hi := 0xD800 + (r >> 10)
		lo := 0xDC00 + (r & 0x3FF)
		return uint32(hi)<<16 | uint32(lo)
	}
	return uint32(r) << 16
}
