package pattern

import (
	"encoding/binary"
	"slices"
	"strings"
)

// machine is the immutable compiled form of a set of patterns: an automaton
// whose states are "fields matched so far" and whose transitions are keyed by
// path id (paths sorted, so every branch walks the paths in increasing
// order) and then by value through a per-state, per-path fieldMatcher that is
// shared by all patterns at that point. Matching an event visits only the
// states its values reach, so its cost does not grow with the number of
// patterns.
type machine struct {
	ids    []string            // pattern index → caller id, sorted
	paths  []string            // path id → dotted path, sorted
	index  map[string]pathInfo // dotted path (or prefix of one) → info
	filter pathFilter          // rejects most names absent from index without hashing them
	states []mstate            // state 0 is the start
}

// pathFilter is a one-probe Bloom filter over the keys of machine.index,
// keyed by length and last byte. Events carry many fields no pattern names;
// the filter skips the map lookup (and its hashing) for most of them.
type pathFilter [64]uint64

func filterBit(p []byte) uint {
	if len(p) == 0 {
		return 0
	}
	return (uint(len(p))*31 + uint(p[len(p)-1])) & 4095
}

func (f *pathFilter) add(p string) {
	b := filterBit([]byte(p))
	f[b>>6] |= 1 << (b & 63)
}

func (f *pathFilter) mayContain(p []byte) bool {
	b := filterBit(p)
	return f[b>>6]&(1<<(b&63)) != 0
}

type mstate struct {
	trans  []mtrans   // sorted by path id
	absent []absTrans // exists:false transitions
	done   []int32    // patterns matched on reaching this state
}

type mtrans struct {
	pid int32
	fm  *fieldMatcher
}

type absTrans struct{ pid, next int32 }

// edge is a target state, optionally guarded by a condition checked on the
// value (for index lookups that only narrow the candidates).
type edge struct {
	next int32
	c    *cond
}

// affixIndex finds the entries whose key is a prefix (or suffix) of a value
// with one map lookup per distinct key length.
type affixIndex struct {
	m    map[string][]edge
	lens []int
}

func (ix *affixIndex) add(key string, e edge) {
	if ix.m == nil {
		ix.m = map[string][]edge{}
	}
	ix.m[key] = append(ix.m[key], e)
	if !slices.Contains(ix.lens, len(key)) {
		ix.lens = append(ix.lens, len(key))
		slices.Sort(ix.lens)
	}
}

// fieldMatcher holds every condition on one path at one state.
type fieldMatcher struct {
	exact      map[string][]int32 // typed value key → next states
	exists     []int32
	prefix     affixIndex // also wildcards, by their literal prefix
	suffix     affixIndex
	fold       map[string][]edge // equals-ignore-case, by canonical form
	prefixFold affixIndex        // by canonical form
	suffixFold affixIndex        // by canonical form
	ranges     rangeIndex        // numeric ranges
	list       []edge            // conditions tried one by one
}

// rangeIndex finds the numeric ranges containing a number key: ranges sorted
// by lower bound, with the running maximum of the upper bounds, so a lookup
// is a binary search plus a scan of the ranges that can overlap the key.
type rangeIndex struct {
	edges []edge   // cNumeric conditions, sorted by lo
	maxHi []uint64 // maxHi[i] = max(edges[0..i].c.hi)
}

func (ri *rangeIndex) finish() {
	slices.SortStableFunc(ri.edges, func(a, b edge) int { return cmpUint(a.c.lo, b.c.lo) })
	ri.maxHi = make([]uint64, len(ri.edges))
	var m uint64
	for i, e := range ri.edges {
		m = max(m, e.c.hi)
		ri.maxHi[i] = m
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (ri *rangeIndex) lookup(k uint64, out []int32) []int32 {
	n, _ := slices.BinarySearchFunc(ri.edges, k, func(e edge, k uint64) int {
		if e.c.lo <= k {
			return -1
		}
		return 1
	})
	for i := n - 1; i >= 0 && ri.maxHi[i] >= k; i-- {
		if e := &ri.edges[i]; e.c.inRange(k) {
			out = append(out, e.next)
		}
	}
	return out
}

func (fm *fieldMatcher) usesFold() bool {
	return fm.fold != nil || fm.prefixFold.m != nil || fm.suffixFold.m != nil
}

// exactKey is the typed map key of a value: 's' + string, 'n' + number key,
// 'l' + literal text.
func exactKey(dst []byte, v *value) []byte {
	switch {
	case v.kind == vString:
		dst = append(dst, 's')
		return append(dst, v.b...)
	case v.numOK:
		dst = append(dst, 'n')
		return binary.BigEndian.AppendUint64(dst, v.num)
	}
	dst = append(dst, 'l')
	return append(dst, v.b...)
}

func condExactKey(c *cond) string {
	switch {
	case c.isNum:
		return "n" + string(binary.BigEndian.AppendUint64(nil, c.num))
	case c.lit:
		return "l" + c.str
	}
	return "s" + c.str
}

// addCond registers condition c of an edge to next.
func (fm *fieldMatcher) addCond(c *cond, next int32) {
	switch c.kind {
	case cExact:
		if fm.exact == nil {
			fm.exact = map[string][]int32{}
		}
		k := condExactKey(c)
		fm.exact[k] = append(fm.exact[k], next)
	case cExists:
		fm.exists = append(fm.exists, next)
	case cPrefix:
		fm.prefix.add(c.str, edge{next: next})
	case cSuffix:
		fm.suffix.add(c.str, edge{next: next})
	case cWildcard:
		fm.prefix.add(string(c.wcs[0].literalPrefix()), edge{next: next, c: c})
	case cNumeric:
		fm.ranges.edges = append(fm.ranges.edges, edge{next: next, c: c})
	default:
		fm.addFoldOrList(c, next)
	}
}

func (fm *fieldMatcher) addFoldOrList(c *cond, next int32) {
	isFold := c.kind == cFold || c.kind == cPrefixFold || c.kind == cSuffixFold
	if !isFold || !canonSafe(c.str) {
		fm.list = append(fm.list, edge{next: next, c: c})
		return
	}
	key := string(appendCanon(nil, []byte(c.str)))
	e := edge{next: next, c: c}
	switch c.kind {
	case cFold:
		if fm.fold == nil {
			fm.fold = map[string][]edge{}
		}
		fm.fold[key] = append(fm.fold[key], e)
	case cPrefixFold:
		fm.prefixFold.add(key, e)
	case cSuffixFold:
		fm.suffixFold.add(key, e)
	}
}

// mkey identifies an automaton edge while building.
type mkey struct {
	from  int32
	pid   int32
	conds string
}

type builder struct {
	m     *machine
	edges map[mkey]int32
	fms   map[[2]int32]*fieldMatcher
}

// buildMachine compiles patterns (by id) into one machine.
func buildMachine(patterns map[string]*Pattern) *machine {
	m := &machine{index: map[string]pathInfo{}, states: []mstate{{}}}
	m.ids = make([]string, 0, len(patterns))
	for id := range patterns {
		m.ids = append(m.ids, id)
	}
	slices.Sort(m.ids)
	m.indexPaths(patterns)
	for p := range m.index {
		m.filter.add(p)
	}
	b := &builder{m: m, edges: map[mkey]int32{}, fms: map[[2]int32]*fieldMatcher{}}
	for i, id := range m.ids {
		for _, br := range patterns[id].branches {
			b.addBranch(int32(i), br)
		}
	}
	b.finish()
	return m
}

func (m *machine) indexPaths(patterns map[string]*Pattern) {
	set := map[string]bool{}
	for _, p := range patterns {
		for _, br := range p.branches {
			for _, f := range br {
				set[f.path] = true
			}
		}
	}
	for p := range set {
		m.paths = append(m.paths, p)
	}
	slices.Sort(m.paths)
	for i, p := range m.paths {
		info, ok := m.index[p]
		if !ok {
			info.pid = -1
		}
		info.pid = int32(i)
		m.index[p] = info
		for j := strings.IndexByte(p, '.'); j >= 0; j = nextDot(p, j) {
			pre, ok := m.index[p[:j]]
			if !ok {
				pre.pid = -1
			}
			pre.prefix = true
			m.index[p[:j]] = pre
		}
	}
}

func nextDot(p string, j int) int {
	k := strings.IndexByte(p[j+1:], '.')
	if k < 0 {
		return -1
	}
	return j + 1 + k
}

func condsKey(conds []cond) string {
	keys := make([]string, len(conds))
	for i := range conds {
		keys[i] = conds[i].key()
	}
	slices.Sort(keys)
	return strings.Join(keys, "|")
}

func (b *builder) addBranch(pattern int32, br branch) {
	cur := int32(0)
	for _, f := range br {
		pid := b.m.index[f.path].pid
		k := mkey{from: cur, pid: pid, conds: condsKey(f.conds)}
		next, ok := b.edges[k]
		if !ok {
			next = int32(len(b.m.states))
			b.m.states = append(b.m.states, mstate{})
			b.edges[k] = next
			b.addEdge(cur, pid, f.conds, next)
		}
		cur = next
	}
	if !slices.Contains(b.m.states[cur].done, pattern) {
		b.m.states[cur].done = append(b.m.states[cur].done, pattern)
	}
}

func (b *builder) addEdge(from, pid int32, conds []cond, next int32) {
	var fm *fieldMatcher
	for i := range conds {
		c := &conds[i]
		if c.kind == cAbsent {
			b.m.states[from].absent = append(b.m.states[from].absent, absTrans{pid: pid, next: next})
			continue
		}
		if fm == nil {
			fm = b.fieldMatcher(from, pid)
		}
		fm.addCond(c, next)
	}
}

func (b *builder) fieldMatcher(from, pid int32) *fieldMatcher {
	k := [2]int32{from, pid}
	fm, ok := b.fms[k]
	if !ok {
		fm = &fieldMatcher{}
		b.fms[k] = fm
		b.m.states[from].trans = append(b.m.states[from].trans, mtrans{pid: pid, fm: fm})
	}
	return fm
}

func (b *builder) finish() {
	for _, fm := range b.fms {
		fm.ranges.finish()
	}
	for i := range b.m.states {
		s := &b.m.states[i]
		slices.SortFunc(s.trans, func(x, y mtrans) int { return int(x.pid - y.pid) })
		slices.Sort(s.done)
	}
}
