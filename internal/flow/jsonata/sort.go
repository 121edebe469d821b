package jsonata

func (ev *evaluator) sortStep(expr *node, input *array, env *frame) (*array, error) {
	isTuple := input.tupleStream
	var cmpErr error
	less := func(a, b any) bool {
		if cmpErr != nil {
			return false
		}
		gt, err := ev.sortCompare(expr, a, b, isTuple, env)
		if err != nil {
			cmpErr = err
			return false
		}
		return gt
	}
	sorted := mergeSort(input.items, less)
	if cmpErr != nil {
		return nil, cmpErr
	}
	return &array{items: sorted, sequence: true, tupleStream: isTuple}, nil
}

func (ev *evaluator) sortCompare(expr *node, a, b any, isTuple bool, env *frame) (bool, error) {
	comp := 0
	for _, term := range expr.terms {
		if comp != 0 {
			break
		}
		ctxA, envA := a, env
		ctxB, envB := b, env
		if isTuple {
			ctxA, envA = asTuple(a)["@"], frameFromTuple(env, asTuple(a))
			ctxB, envB = asTuple(b)["@"], frameFromTuple(env, asTuple(b))
		}
		aa, err := ev.eval(term.expr, ctxA, envA)
		if err != nil {
			return false, err
		}
		bb, err := ev.eval(term.expr, ctxB, envB)
		if err != nil {
			return false, err
		}
		at, bt := typeSymbol(aa), typeSymbol(bb)
		if at == 'm' {
			if bt != 'm' {
				comp = 1
			}
			continue
		}
		if bt == 'm' {
			comp = -1
			continue
		}
		if (at != 's' && at != 'n') || (bt != 's' && bt != 'n') {
			v := bb
			if at != 's' && at != 'n' {
				v = aa
			}
			e := errVal("T2008", v)
			e.Position = expr.pos
			return false, e
		}
		if at != bt {
			e := errVal("T2007", aa)
			e.value2 = bb
			e.Position = expr.pos
			return false, e
		}
		c := 0
		if at == 'n' {
			x, y := aa.(float64), bb.(float64)
			switch {
			case x < y:
				c = -1
			case x > y:
				c = 1
			}
		} else {
			c = compareStrings(aa.(string), bb.(string))
		}
		if c == 0 {
			continue
		}
		comp = c
		if term.descending {
			comp = -comp
		}
	}
	return comp == 1, nil
}

func mergeSort(items []any, after func(a, b any) bool) []any {
	if len(items) <= 1 {
		return items
	}
	mid := len(items) / 2
	left := mergeSort(append([]any(nil), items[:mid]...), after)
	right := mergeSort(append([]any(nil), items[mid:]...), after)
	out := make([]any, 0, len(items))
	i, j := 0, 0
	for i < len(left) && j < len(right) {
		if after(left[i], right[j]) {
			out = append(out, right[j])
			j++
		} else {
			out = append(out, left[i])
			i++
		}
	}
	out = append(out, left[i:]...)
	return append(out, right[j:]...)
}
