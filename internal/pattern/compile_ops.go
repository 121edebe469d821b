package pattern

import "math"

// isNumberTok is Jackson's JsonToken.isNumeric.
func isNumberTok(t tokKind) bool { return t == tokNumber }

// comparable is event-ruler's ComparableNumber.generate as a key.
func comparable(text string) (uint64, error) {
	k, ok := numKey([]byte(text))
	if !ok {
		return 0, fail("Cannot compare number : " + text)
	}
	return k, nil
}

var (
	minKey = floatKey(-math.MaxFloat64)
	maxKey = floatKey(math.MaxFloat64)
)

// numeric parses the operand array of "numeric" (its '[' not yet read).
func (ps *parser) numeric() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokArrStart {
		return cond{}, fail("Value of numeric must be an array.")
	}
	c, err := ps.numericTerms()
	if err != nil {
		return cond{}, err
	}
	return c, ps.expectEnd("Too many elements in numeric expression")
}

func (ps *parser) numericTerms() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t != tokString {
		return cond{}, fail("Invalid member in numeric match: " + ps.tokenText(t))
	}
	op := string(ps.lx.text)
	if t, err = ps.lx.next(); err != nil {
		return cond{}, err
	}
	switch op {
	case "=":
		return ps.numericEquals(t)
	case ">=", ">":
		return ps.lowerBound(t, op)
	case "<=", "<":
		return ps.upperBound(t, op)
	}
	return cond{}, fail("Unrecognized numeric range operator: " + op)
}

func (ps *parser) numericEquals(t tokKind) (cond, error) {
	if !isNumberTok(t) {
		return cond{}, fail("Value of equals must be numeric")
	}
	val := string(ps.lx.text)
	if err := ps.endOfTerms("Too many elements in numeric expression"); err != nil {
		return cond{}, err
	}
	k, err := comparable(val)
	if err != nil {
		return cond{}, err
	}
	return cond{kind: cExact, num: k, isNum: true, str: val}, nil
}

func (ps *parser) endOfTerms(reason string) error {
	t, err := ps.lx.next()
	if err != nil {
		return err
	}
	if t != tokArrEnd {
		return fail(reason)
	}
	return nil
}

func (ps *parser) lowerBound(t tokKind, op string) (cond, error) {
	if !isNumberTok(t) {
		return cond{}, fail("Value of " + op + " must be numeric")
	}
	bottom := string(ps.lx.text)
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if t == tokArrEnd {
		lo, err := comparable(bottom)
		if err != nil {
			return cond{}, err
		}
		return cond{kind: cNumeric, lo: lo, loOpen: op == ">", hi: maxKey}, nil
	}
	return ps.completeRange(t, bottom, op == ">")
}

func (ps *parser) upperBound(t tokKind, op string) (cond, error) {
	if !isNumberTok(t) {
		return cond{}, fail("Value of " + op + " must be numeric")
	}
	top := string(ps.lx.text)
	if err := ps.endOfTerms("Too many elements in numeric expression"); err != nil {
		return cond{}, err
	}
	hi, err := comparable(top)
	if err != nil {
		return cond{}, err
	}
	return cond{kind: cNumeric, lo: minKey, hi: hi, hiOpen: op == "<"}, nil
}

func (ps *parser) completeRange(t tokKind, bottom string, openBottom bool) (cond, error) {
	if t != tokString {
		return cond{}, fail("Bad value in numeric range: " + ps.tokenText(t))
	}
	op := string(ps.lx.text)
	if op != "<" && op != "<=" {
		return cond{}, fail("Bad numeric range operator: " + op)
	}
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	if !isNumberTok(t) {
		return cond{}, fail("Value of " + op + " must be numeric")
	}
	top := string(ps.lx.text)
	if err := ps.endOfTerms("Too many terms in numeric range expression"); err != nil {
		return cond{}, err
	}
	return numericRange(bottom, openBottom, top, op == "<")
}

func numericRange(bottom string, openBottom bool, top string, openTop bool) (cond, error) {
	lo, err := comparable(bottom)
	if err != nil {
		return cond{}, err
	}
	hi, err := comparable(top)
	if err != nil {
		return cond{}, err
	}
	if lo >= hi {
		return cond{}, fail("Bottom must be less than top")
	}
	return cond{kind: cNumeric, lo: lo, loOpen: openBottom, hi: hi, hiOpen: openTop}, nil
}

const tooManyElements = "Too many elements in numeric expression"

// anythingBut parses the operand of "anything-but".
func (ps *parser) anythingBut() (cond, error) {
	t, err := ps.lx.next()
	if err != nil {
		return cond{}, err
	}
	kind := cAnyBut
	if t == tokObjStart {
		if kind, err = ps.anythingButOp(); err != nil {
			return cond{}, err
		}
		if t, err = ps.lx.next(); err != nil {
			return cond{}, err
		}
	}
	if t != tokArrStart && t != tokString && t != tokNumber {
		return cond{}, fail("Value of anything-but must be an array or single string/number value.")
	}
	c, err := ps.anythingButValues(kind, t)
	if err != nil {
		return cond{}, err
	}
	if err := ps.expectEnd(tooManyElements); err != nil {
		return cond{}, err
	}
	if kind != cAnyBut {
		return c, ps.expectEnd(tooManyElements)
	}
	return c, nil
}

func (ps *parser) anythingButOp() (condKind, error) {
	t, err := ps.lx.next()
	if err != nil {
		return 0, err
	}
	if t != tokField {
		return 0, fail("Anything-But expression name not found")
	}
	name := string(ps.lx.text)
	kinds := map[string]condKind{
		"equals-ignore-case": cAnyButFold, "prefix": cAnyButPrefix,
		"suffix": cAnyButSuffix, "wildcard": cAnyButWildcard,
	}
	k, ok := kinds[name]
	if !ok || (ps.sns && k != cAnyButPrefix) {
		return 0, fail("Unsupported anything-but pattern: " + name)
	}
	return k, nil
}

func (ps *parser) anythingButValues(kind condKind, t tokKind) (cond, error) {
	c := cond{kind: kind}
	var err error
	if t == tokArrStart {
		err = ps.anythingButList(&c)
	} else {
		err = ps.anythingButValue(&c, t)
	}
	if err != nil {
		return cond{}, err
	}
	if kind == cAnyButWildcard {
		for _, s := range c.strs {
			w, err := parseWildcard(s)
			if err != nil {
				return cond{}, err
			}
			c.wcs = append(c.wcs, w)
		}
	}
	c.isNum = len(c.nums) > 0
	return c, nil
}

func (ps *parser) anythingButList(c *cond) error {
	for {
		t, err := ps.lx.next()
		if err != nil {
			return err
		}
		if t == tokArrEnd {
			break
		}
		if err := ps.anythingButValue(c, t); err != nil {
			return err
		}
	}
	if c.kind == cAnyBut && (len(c.strs) == 0) == (len(c.nums) == 0) {
		return fail("Inside anything but list, either all values are number or string, mixed type is not supported")
	}
	return nil
}

func (ps *parser) anythingButValue(c *cond, t tokKind) error {
	text := string(ps.lx.text)
	if c.kind == cAnyBut {
		switch t {
		case tokString:
			c.strs = append(c.strs, text)
			return nil
		case tokNumber:
			k, err := comparable(text)
			c.nums = append(c.nums, k)
			c.isNum = true
			return err
		}
		return fail("Inside anything but list, start|null|boolean is not supported.")
	}
	if t != tokString {
		switch c.kind {
		case cAnyButFold:
			return fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
		case cAnyButWildcard:
			return fail("wildcard match pattern must be a string")
		}
		return fail("prefix/suffix match pattern must be a string")
	}
	if text == "" && (c.kind == cAnyButPrefix || c.kind == cAnyButSuffix) {
		return fail("Null prefix/suffix not allowed")
	}
	c.strs = append(c.strs, text)
	return nil
}
