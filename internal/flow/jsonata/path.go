package jsonata

func frameFromTuple(env *frame, t tuple) *frame {
	f := newFrame(env)
	for k, v := range t {
		f.bind(k, v)
	}
	return f
}

func (ev *evaluator) step(expr *node, input *array, env *frame, last bool) (any, error) {
	if expr.typ == "sort" {
		r, err := ev.sortStep(expr, input, env)
		if err != nil {
			return nil, err
		}
		if expr.stages != nil {
			return ev.stages(expr.stages, r, env)
		}
		return r, nil
	}
	result := newSeq()
	for _, item := range input.items {
		res, err := ev.eval(expr, item, env)
		if err != nil {
			return nil, err
		}
		for _, st := range expr.stages {
			if res, err = ev.filter(st.expr, res, env); err != nil {
				return nil, err
			}
		}
		if !isUndef(res) {
			result.push(res)
		}
	}
	if last && len(result.items) == 1 {
		if a, ok := result.items[0].(*array); ok && !a.sequence {
			return a, nil
		}
	}
	out := newSeq()
	for _, res := range result.items {
		if a, ok := res.(*array); ok && !a.cons {
			out.items = append(out.items, a.items...)
			continue
		}
		out.push(res)
	}
	if len(out.items) > MaxSize {
		return nil, errMsg("U1003", "sequence too large")
	}
	return out, nil
}

func (ev *evaluator) stages(stages []*stage, input any, env *frame) (*array, error) {
	result := input
	for _, st := range stages {
		switch st.typ {
		case "filter":
			r, err := ev.filter(st.expr, result, env)
			if err != nil {
				return nil, err
			}
			result = r
		case "index":
			if a, ok := result.(*array); ok {
				for i, t := range a.items {
					if tt, ok := t.(tuple); ok {
						tt[st.value] = float64(i)
					}
				}
			}
		}
	}
	if a, ok := result.(*array); ok {
		return a, nil
	}
	return newSeq(), nil
}

func (ev *evaluator) tupleStep(expr *node, input, bindings *array, env *frame) (*array, error) {
	if expr.typ == "sort" {
		var result *array
		if bindings != nil {
			r, err := ev.sortStep(expr, bindings, env)
			if err != nil {
				return nil, err
			}
			result = r
		} else {
			sorted, err := ev.sortStep(expr, input, env)
			if err != nil {
				return nil, err
			}
			result = &array{sequence: true, tupleStream: true}
			for i, it := range sorted.items {
				t := tuple{"@": it}
				if expr.index != "" {
					t[expr.index] = float64(i)
				}
				result.push(t)
			}
		}
		if expr.stages != nil {
			return ev.stages(expr.stages, result, env)
		}
		return result, nil
	}
	result := &array{sequence: true, tupleStream: true}
	if bindings == nil {
		bindings = &array{sequence: true, tupleStream: true}
		for _, it := range input.items {
			bindings.push(tuple{"@": it})
		}
	}
	for _, b := range bindings.items {
		tb := asTuple(b)
		stepEnv := frameFromTuple(env, tb)
		res, err := ev.eval(expr, tb["@"], stepEnv)
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			continue
		}
		ra, ok := res.(*array)
		if !ok {
			ra = &array{items: []any{res}}
		}
		for bb, item := range ra.items {
			t := make(tuple, len(tb)+2)
			for k, v := range tb {
				t[k] = v
			}
			if ra.tupleStream {
				for k, v := range asTuple(item) {
					t[k] = v
				}
			} else {
				if expr.focus != "" {
					t[expr.focus] = item
					t["@"] = tb["@"]
				} else {
					t["@"] = item
				}
				if expr.index != "" {
					t[expr.index] = float64(bb)
				}
				if expr.ancestor != nil {
					t[expr.ancestor.label] = tb["@"]
				}
			}
			result.push(t)
		}
		if len(result.items) > MaxSize {
			return nil, errMsg("U1003", "sequence too large")
		}
	}
	if expr.stages != nil {
		return ev.stages(expr.stages, result, env)
	}
	return result, nil
}

func lookupKey(input any, key string) any {
	switch x := input.(type) {
	case *array:
		result := newSeq()
		for _, it := range x.items {
			res := lookupKey(it, key)
			if isUndef(res) {
				continue
			}
			if a, ok := res.(*array); ok {
				result.items = append(result.items, a.items...)
			} else {
				result.push(res)
			}
		}
		return result
	case *object:
		if v, ok := x.m[key]; ok {
			return v
		}
	case tuple:
		if v, ok := x[key]; ok {
			return v
		}
	}
	return Undefined
}

func wildcard(input any) any {
	results := newSeq()
	if a, ok := input.(*array); ok && a.outerWrapper && len(a.items) > 0 {
		input = a.items[0]
	}
	add := func(v any) {
		if a, ok := v.(*array); ok {
			// fn.append: the results become a plain array
			results.items = append(results.items, flatten(a, nil)...)
			results.sequence = false
			return
		}
		results.push(v)
	}
	switch x := input.(type) {
	case *object:
		for _, k := range x.keys {
			add(x.m[k])
		}
	case *array:
		for _, it := range x.items {
			add(it)
		}
	}
	return results
}

func flatten(v any, out []any) []any {
	if a, ok := v.(*array); ok {
		for _, it := range a.items {
			out = flatten(it, out)
		}
		return out
	}
	return append(out, v)
}

func descendants(input any) any {
	if isUndef(input) {
		return Undefined
	}
	results := newSeq()
	recurseDescendants(input, results)
	if len(results.items) == 1 {
		return results.items[0]
	}
	return results
}

func recurseDescendants(input any, results *array) {
	switch x := input.(type) {
	case *array:
		for _, it := range x.items {
			recurseDescendants(it, results)
		}
	case *object:
		results.push(x)
		for _, k := range x.keys {
			recurseDescendants(x.m[k], results)
		}
	default:
		results.push(x)
	}
}
