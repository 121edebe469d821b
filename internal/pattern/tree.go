package pattern

// jnode is a parsed JSON value, used to validate SNS filter policies.
// Object members keep the position of a key's first occurrence and the value
// of its last one, like the JSON object model SNS validates with.
type jnode struct {
	kind tokKind // tokObjStart, tokArrStart or a scalar kind
	text string  // scalar text (string content or literal)
	arr  []*jnode
	obj  []member
}

type member struct {
	key string
	val *jnode
}

func parseTree(raw []byte) (*jnode, error) {
	var lx lexer
	lx.reset(raw)
	t, err := lx.next()
	if err != nil {
		return nil, err
	}
	if t == tokEOF {
		return nil, fail("No content to map due to end-of-input")
	}
	return treeValue(&lx, t, 0)
}

func treeValue(lx *lexer, t tokKind, depth int) (*jnode, error) {
	if depth > maxDepth {
		return nil, fail("policy nested too deeply")
	}
	n := &jnode{kind: t}
	switch t {
	case tokObjStart:
		return n, treeObject(lx, n, depth)
	case tokArrStart:
		return n, treeArray(lx, n, depth)
	}
	n.text = string(lx.text)
	return n, nil
}

func treeObject(lx *lexer, n *jnode, depth int) error {
	for {
		t, err := lx.next()
		if err != nil {
			return err
		}
		if t == tokObjEnd {
			return nil
		}
		key := string(lx.text)
		if t, err = lx.next(); err != nil {
			return err
		}
		v, err := treeValue(lx, t, depth+1)
		if err != nil {
			return err
		}
		n.set(key, v)
	}
}

func (n *jnode) set(key string, v *jnode) {
	for i := range n.obj {
		if n.obj[i].key == key {
			n.obj[i].val = v
			return
		}
	}
	n.obj = append(n.obj, member{key: key, val: v})
}

func treeArray(lx *lexer, n *jnode, depth int) error {
	for {
		t, err := lx.next()
		if err != nil {
			return err
		}
		if t == tokArrEnd {
			return nil
		}
		v, err := treeValue(lx, t, depth+1)
		if err != nil {
			return err
		}
		n.arr = append(n.arr, v)
	}
}
