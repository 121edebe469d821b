package pattern

// maxDepth is the deepest nesting accepted in an event (PutEvents documents
// 1,100 levels).
const maxDepth = 1100

// pathInfo says how the flattener treats a dotted path of an event.
type pathInfo struct {
	pid    int32 // id of a path used by some pattern, or -1
	prefix bool  // some used path continues below this one
}

// memPair records that a value lies in element index of array array.
type memPair struct{ array, index int32 }

// efield is one leaf value of an event at a used path.
type efield struct {
	pid            int32
	memOff, memLen int32
	v              value
}

// flatEvent is an event flattened to the leaves at used paths, grouped by
// path id. Its buffers are reused between events.
type flatEvent struct {
	filter *pathFilter
	lx     lexer
	path   []byte
	fields []efield
	mems   []memPair // arena of the fields' array memberships
	cur    []memPair // membership of the value being read
	arrays int32
	depth  int
	order  []int32 // field indexes grouped by path id
	starts []int32 // order[starts[p]:starts[p+1]] are the fields of path p
}

func (fe *flatEvent) reset(npaths int) {
	fe.path, fe.fields, fe.mems, fe.cur = fe.path[:0], fe.fields[:0], fe.mems[:0], fe.cur[:0]
	fe.arrays, fe.depth = 0, 0
	if cap(fe.starts) < npaths+2 {
		fe.starts = make([]int32, npaths+2)
	}
	fe.starts = fe.starts[:npaths+2]
	clear(fe.starts)
}

// flattenJSON reads a JSON object event. It returns errNotObject when the
// event is valid JSON but not an object.
func (fe *flatEvent) flattenJSON(idx map[string]pathInfo, filter *pathFilter, npaths int, src []byte) error {
	fe.filter = filter
	fe.reset(npaths)
	fe.lx.reset(src)
	t, err := fe.lx.next()
	if err != nil {
		return err
	}
	if t != tokObjStart {
		return errNotObject
	}
	if err := fe.object(idx); err != nil {
		return err
	}
	fe.group(npaths)
	return nil
}

var errNotObject = fail("event is not a JSON object")

func (fe *flatEvent) object(idx map[string]pathInfo) error {
	if fe.depth++; fe.depth > maxDepth {
		return fail("event nested too deeply")
	}
	defer func() { fe.depth-- }()
	for {
		t, err := fe.lx.next()
		if err != nil {
			return err
		}
		if t == tokObjEnd {
			return nil
		}
		plen := len(fe.path)
		if fe.depth > 1 { // not the top level: join with '.', even after an empty key
			fe.path = append(fe.path, '.')
		}
		fe.path = append(fe.path, fe.lx.text...)
		var info pathInfo
		ok := fe.filter.mayContain(fe.path)
		if ok {
			info, ok = idx[string(fe.path)]
		}
		if t, err = fe.lx.next(); err != nil {
			return err
		}
		if ok {
			err = fe.member(idx, info, t)
		} else {
			err = fe.lx.skipFast(t)
		}
		if err != nil {
			return err
		}
		fe.path = fe.path[:plen]
	}
}

func (fe *flatEvent) member(idx map[string]pathInfo, info pathInfo, t tokKind) error {
	switch t {
	case tokObjStart:
		if info.prefix {
			return fe.object(idx)
		}
		return fe.lx.skipFast(t)
	case tokArrStart:
		return fe.array(idx, info)
	}
	if info.pid >= 0 {
		fe.record(info.pid, t)
	}
	return nil
}

func (fe *flatEvent) array(idx map[string]pathInfo, info pathInfo) error {
	if fe.depth++; fe.depth > maxDepth {
		return fail("event nested too deeply")
	}
	defer func() { fe.depth-- }()
	id := fe.arrays
	fe.arrays++
	for index := int32(0); ; index++ {
		t, err := fe.lx.next()
		if err != nil {
			return err
		}
		if t == tokArrEnd {
			return nil
		}
		if !t.isScalar() {
			fe.cur = append(fe.cur, memPair{array: id, index: index})
		}
		if err := fe.member(idx, info, t); err != nil {
			return err
		}
		if !t.isScalar() {
			fe.cur = fe.cur[:len(fe.cur)-1]
		}
	}
}

func (fe *flatEvent) record(pid int32, t tokKind) {
	kind := vLiteral
	switch t {
	case tokString:
		kind = vString
	case tokNumber:
		kind = vNumber
	}
	fe.add(pid, newValue(kind, fe.lx.text))
}

func (fe *flatEvent) add(pid int32, v value) {
	off := int32(len(fe.mems))
	fe.mems = append(fe.mems, fe.cur...)
	fe.fields = append(fe.fields, efield{pid: pid, memOff: off, memLen: int32(len(fe.cur)), v: v})
}

// group sorts the field indexes by path id (counting sort).
func (fe *flatEvent) group(npaths int) {
	for i := range fe.fields {
		fe.starts[fe.fields[i].pid+2]++
	}
	for p := 2; p < npaths+2; p++ {
		fe.starts[p] += fe.starts[p-1]
	}
	if cap(fe.order) < len(fe.fields) {
		fe.order = make([]int32, len(fe.fields))
	}
	fe.order = fe.order[:len(fe.fields)]
	for i := range fe.fields {
		p := fe.fields[i].pid + 1
		fe.order[fe.starts[p]] = int32(i)
		fe.starts[p]++
	}
}

// valuesOf returns the range of fe.order holding the fields of path pid.
func (fe *flatEvent) valuesOf(pid int32) (int32, int32) {
	return fe.starts[pid], fe.starts[pid+1]
}

func (fe *flatEvent) membership(f *efield) []memPair {
	return fe.mems[f.memOff : f.memOff+f.memLen]
}
