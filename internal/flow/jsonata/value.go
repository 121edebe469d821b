package jsonata

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// Internal value model. Inside the evaluator a JSONata value is one of:
// Undefined, nil (null), bool, float64, string, *array, *object, a callable
// (*lambda, *native, *matcher) or, in tuple streams only, tuple.

// array is a JSONata array or sequence. The flags mirror the properties
// jsonata-js attaches to JavaScript arrays.
type array struct {
	items         []any
	sequence      bool // a result sequence (collapsed when singleton)
	keepSingleton bool // the [] modifier: a singleton sequence stays an array
	cons          bool // built by an array constructor: not flattened by a path step
	outerWrapper  bool // the input array wrapped as a sequence
	tupleStream   bool // items are tuples
}

func newSeq(items ...any) *array { return &array{items: items, sequence: true} }

func (a *array) push(v any) { a.items = append(a.items, v) }

// object is a JSON object that keeps the insertion order of its keys, as
// JavaScript objects do.
type object struct {
	keys []string
	m    map[string]any
	nIdx int // the first nIdx keys are array-index keys, in numeric order
}

func newObject(size int) *object {
	return &object{keys: make([]string, 0, size), m: make(map[string]any, size)}
}

func (o *object) get(k string) (any, bool) {
	v, ok := o.m[k]
	return v, ok
}

// set adds or replaces a key. New keys go last, except array-index keys
// ("0", "17"), which JavaScript orders first in ascending numeric order.
func (o *object) set(k string, v any) {
	if _, ok := o.m[k]; !ok {
		if n, isIdx := indexKey(k); isIdx {
			i := sort.Search(o.nIdx, func(i int) bool {
				m, _ := indexKey(o.keys[i])
				return m > n
			})
			o.keys = append(o.keys, "")
			copy(o.keys[i+1:], o.keys[i:])
			o.keys[i] = k
			o.nIdx++
		} else {
			o.keys = append(o.keys, k)
		}
	}
	o.m[k] = v
}

// indexKey reports whether k is a canonical array index (0 .. 2^32-2).
func indexKey(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	if err != nil || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

func (o *object) del(k string) {
	if _, ok := o.m[k]; !ok {
		return
	}
	delete(o.m, k)
	for i, key := range o.keys {
		if key == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			if i < o.nIdx {
				o.nIdx--
			}
			return
		}
	}
}

// tuple is one binding set of a tuple stream; "@" holds the context item.
type tuple map[string]any

func isUndef(v any) bool { _, ok := v.(undefinedType); return ok }

func isFunc(v any) bool {
	_, ok := v.(callable)
	return ok
}

// isNumeric reports whether v is a finite number; an infinite number is the
// error D1001, as in jsonata-js.
func isNumeric(v any) (bool, error) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) {
		return false, nil
	}
	if math.IsInf(f, 0) {
		return false, &Error{Code: "D1001", value: f}
	}
	return true, nil
}

func isArrayOfStrings(v any) bool {
	a, ok := v.(*array)
	if !ok {
		return false
	}
	for _, it := range a.items {
		if _, ok := it.(string); !ok {
			return false
		}
	}
	return true
}

func isArrayOfNumbers(v any) (bool, error) {
	a, ok := v.(*array)
	if !ok {
		return false, nil
	}
	for _, it := range a.items {
		n, err := isNumeric(it)
		if err != nil {
			return false, err
		}
		if !n {
			return false, nil
		}
	}
	return true, nil
}

// deepEqual is jsonata-js isDeepEqual.
func deepEqual(l, r any) bool {
	switch lv := l.(type) {
	case *array:
		rv, ok := r.(*array)
		if !ok {
			return false
		}
		if lv == rv {
			return true
		}
		if len(lv.items) != len(rv.items) {
			return false
		}
		for i := range lv.items {
			if !deepEqual(lv.items[i], rv.items[i]) {
				return false
			}
		}
		return true
	case *object:
		rv, ok := r.(*object)
		if !ok {
			return false
		}
		if len(lv.m) != len(rv.m) {
			return false
		}
		for k, v := range lv.m {
			w, ok := rv.m[k]
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	case float64:
		rv, ok := r.(float64)
		return ok && lv == rv
	case string, bool, nil, undefinedType:
		return l == r
	default:
		return l == r
	}
}

// fromJSON converts a value of the shared model (encoding/json with
// UseNumber) into the internal model. Object keys of a map[string]any have
// no order; they are taken in sorted order so results are deterministic.
func fromJSON(v any) any {
	switch x := v.(type) {
	case nil, bool, string:
		return x
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return math.NaN()
		}
		return f
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case []any:
		a := &array{items: make([]any, len(x))}
		for i, it := range x {
			a.items[i] = fromJSON(it)
		}
		return a
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := newObject(len(keys))
		for _, k := range keys {
			o.set(k, fromJSON(x[k]))
		}
		return o
	case Function:
		return &native{user: x}
	case func(args []any) (any, error):
		return &native{user: x}
	case FunctionValue:
		return x.v
	case Value:
		return x.v
	case undefinedType:
		return x
	default:
		return x
	}
}

// toJSON converts an internal value to the shared model. Numbers become
// json.Number in JavaScript's formatting; functions inside containers are
// dropped from objects and become null in arrays, as JSON.stringify does; a
// function at the top level is returned as a FunctionValue.
func toJSON(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return json.Number(FormatNumber(x))
	case *array:
		out := make([]any, 0, len(x.items))
		for _, it := range x.items {
			if isFunc(it) || isUndef(it) {
				out = append(out, nil)
				continue
			}
			out = append(out, toJSON(it))
		}
		return out
	case *object:
		out := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			it := x.m[k]
			if isFunc(it) || isUndef(it) {
				continue
			}
			out[k] = toJSON(it)
		}
		return out
	case callable:
		return FunctionValue{v: x}
	default:
		return x
	}
}

// asTuple returns v as a tuple; a non-tuple (jsonata-js would fail with a
// TypeError there) becomes an empty binding of undefined.
func asTuple(v any) tuple {
	if t, ok := v.(tuple); ok {
		return t
	}
	return tuple{"@": Undefined}
}
