package pattern

import "slices"

// matchCtx is the reusable working memory of one match.
type matchCtx struct {
	m       *machine
	ev      flatEvent
	cur     []memPair // array memberships of the values chosen so far
	nexts   []int32   // stack of next states
	seen    []uint32  // per pattern: gen when already reported
	visited []uint32  // per state: gen when visited with no membership
	gen     uint32
	hits    []int32
	keyBuf  []byte
	canon   []byte
}

func (c *matchCtx) prepare(m *machine) {
	c.m = m
	if len(c.seen) < len(m.ids) {
		c.seen = make([]uint32, len(m.ids))
	}
	if len(c.visited) < len(m.states) {
		c.visited = make([]uint32, len(m.states))
	}
	c.gen++
	if c.gen == 0 { // wrapped: forget old marks
		clear(c.seen)
		clear(c.visited)
		c.gen = 1
	}
	c.hits, c.cur, c.nexts = c.hits[:0], c.cur[:0], c.nexts[:0]
}

// run matches the flattened event in c.ev and appends the ids to dst.
func (c *matchCtx) run(dst []string) []string {
	c.visit(0)
	slices.Sort(c.hits)
	for _, h := range c.hits {
		dst = append(dst, c.m.ids[h])
	}
	return dst
}

func (c *matchCtx) visit(st int32) {
	if len(c.cur) == 0 {
		if c.visited[st] == c.gen {
			return
		}
		c.visited[st] = c.gen
	}
	s := &c.m.states[st]
	for _, p := range s.done {
		if c.seen[p] != c.gen {
			c.seen[p] = c.gen
			c.hits = append(c.hits, p)
		}
	}
	for _, a := range s.absent {
		if !c.present(a.pid) {
			c.visit(a.next)
		}
	}
	for i := range s.trans {
		c.follow(&s.trans[i])
	}
}

// follow tries every value of the transition's path.
func (c *matchCtx) follow(t *mtrans) {
	lo, hi := c.ev.valuesOf(t.pid)
	for k := lo; k < hi; k++ {
		f := &c.ev.fields[c.ev.order[k]]
		mark := len(c.cur)
		if c.enter(f) {
			base := len(c.nexts)
			c.nexts = c.eval(t.fm, &f.v, c.nexts)
			dedupe(&c.nexts, base)
			for j := base; j < len(c.nexts); j++ {
				c.visit(c.nexts[j])
			}
			c.nexts = c.nexts[:base]
		}
		c.cur = c.cur[:mark]
	}
}

func dedupe(s *[]int32, base int) {
	v := *s
	out := base
	for i := base; i < len(v); i++ {
		if !slices.Contains(v[base:out], v[i]) {
			v[out] = v[i]
			out++
		}
	}
	*s = v[:out]
}

// enter adds f's array memberships to c.cur, or reports false when f lies in
// another element of an array already used (event-ruler's array consistency).
func (c *matchCtx) enter(f *efield) bool {
	if f.memLen == 0 {
		return true
	}
	n := len(c.cur)
	for _, mp := range c.ev.membership(f) {
		idx, found := lookupMem(c.cur[:n], mp.array)
		if !found {
			c.cur = append(c.cur, mp)
		} else if idx != mp.index {
			return false
		}
	}
	return true
}

func lookupMem(cur []memPair, array int32) (int32, bool) {
	for _, mp := range cur {
		if mp.array == array {
			return mp.index, true
		}
	}
	return 0, false
}

// present reports whether path pid has a value consistent with c.cur.
func (c *matchCtx) present(pid int32) bool {
	lo, hi := c.ev.valuesOf(pid)
	for k := lo; k < hi; k++ {
		f := &c.ev.fields[c.ev.order[k]]
		if c.consistent(f) {
			return true
		}
	}
	return false
}

func (c *matchCtx) consistent(f *efield) bool {
	for _, mp := range c.ev.membership(f) {
		if idx, found := lookupMem(c.cur, mp.array); found && idx != mp.index {
			return false
		}
	}
	return true
}

// eval appends the states that value v leads to through fm.
func (c *matchCtx) eval(fm *fieldMatcher, v *value, out []int32) []int32 {
	out = append(out, fm.exists...)
	if v.kind == vNone {
		return out
	}
	if fm.exact != nil {
		c.keyBuf = exactKey(c.keyBuf[:0], v)
		out = append(out, fm.exact[string(c.keyBuf)]...)
	}
	if v.kind == vString {
		out = c.evalString(fm, v, out)
	}
	if v.numOK && len(fm.ranges.edges) > 0 {
		out = fm.ranges.lookup(v.num, out)
	}
	for i := range fm.list {
		if e := &fm.list[i]; e.c.matches(v) {
			out = append(out, e.next)
		}
	}
	return out
}

func (c *matchCtx) evalString(fm *fieldMatcher, v *value, out []int32) []int32 {
	b := v.b
	out = prefixLookup(&fm.prefix, b, v, out)
	out = suffixLookup(&fm.suffix, b, v, out)
	if !fm.usesFold() {
		return out
	}
	c.canon = appendCanon(c.canon[:0], b)
	out = appendEdges(fm.fold[string(c.canon)], v, out)
	out = prefixLookup(&fm.prefixFold, c.canon, v, out)
	return suffixLookup(&fm.suffixFold, c.canon, v, out)
}

func prefixLookup(ix *affixIndex, b []byte, v *value, out []int32) []int32 {
	for _, n := range ix.lens {
		if n > len(b) {
			break
		}
		out = appendEdges(ix.m[string(b[:n])], v, out)
	}
	return out
}

func suffixLookup(ix *affixIndex, b []byte, v *value, out []int32) []int32 {
	for _, n := range ix.lens {
		if n > len(b) {
			break
		}
		out = appendEdges(ix.m[string(b[len(b)-n:])], v, out)
	}
	return out
}

func appendEdges(es []edge, v *value, out []int32) []int32 {
	for i := range es {
		if e := &es[i]; e.c == nil || e.c.matches(v) {
			out = append(out, e.next)
		}
	}
	return out
}
