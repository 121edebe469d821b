package pattern

import (
	"sync"
	"sync/atomic"
)

// Matcher matches events against a changing set of patterns, all compiled
// into one machine. Add and Remove may be called concurrently with matching:
// matches use an immutable snapshot, rebuilt on the first match after a
// change (copy-on-write).
type Matcher struct {
	mu       sync.Mutex
	patterns map[string]*Pattern
	version  atomic.Uint64
	snap     atomic.Pointer[snapshot]
	ctxs     sync.Pool
}

type snapshot struct {
	version uint64
	m       *machine
}

// NewMatcher returns an empty Matcher.
func NewMatcher() *Matcher {
	return &Matcher{patterns: map[string]*Pattern{}}
}

// Add adds p under id, replacing any pattern with the same id.
func (mt *Matcher) Add(id string, p *Pattern) {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	mt.patterns[id] = p
	mt.version.Add(1)
}

// Remove removes the pattern with the given id, if any.
func (mt *Matcher) Remove(id string) {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	if _, ok := mt.patterns[id]; ok {
		delete(mt.patterns, id)
		mt.version.Add(1)
	}
}

// Len returns the number of patterns.
func (mt *Matcher) Len() int {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	return len(mt.patterns)
}

func (mt *Matcher) machine() *machine {
	if s := mt.snap.Load(); s != nil && s.version == mt.version.Load() {
		return s.m
	}
	mt.mu.Lock()
	defer mt.mu.Unlock()
	v := mt.version.Load()
	if s := mt.snap.Load(); s != nil && s.version == v {
		return s.m
	}
	m := buildMachine(mt.patterns)
	mt.snap.Store(&snapshot{version: v, m: m})
	return m
}

func (mt *Matcher) getCtx(m *machine) *matchCtx {
	c, _ := mt.ctxs.Get().(*matchCtx)
	if c == nil {
		c = &matchCtx{}
	}
	c.prepare(m)
	return c
}

// MatchJSON returns the ids of the patterns matching a JSON event, in id
// order. The event must be a JSON object.
func (mt *Matcher) MatchJSON(event []byte) ([]string, error) {
	return mt.AppendMatchJSON(nil, event)
}

// AppendMatchJSON is MatchJSON appending to dst; with a dst of sufficient
// capacity it does not allocate.
func (mt *Matcher) AppendMatchJSON(dst []string, event []byte) ([]string, error) {
	m := mt.machine()
	c := mt.getCtx(m)
	defer mt.ctxs.Put(c)
	if err := c.ev.flattenJSON(m.index, &m.filter, len(m.paths), event); err != nil {
		return dst, invalidEventError()
	}
	return c.run(dst), nil
}

// MatchAttributes returns the ids of the patterns (SNS filter policies of
// scope MessageAttributes) matching a message's attributes.
func (mt *Matcher) MatchAttributes(attrs map[string]Attribute) []string {
	return mt.AppendMatchAttributes(nil, attrs)
}

// AppendMatchAttributes is MatchAttributes appending to dst.
func (mt *Matcher) AppendMatchAttributes(dst []string, attrs map[string]Attribute) []string {
	m := mt.machine()
	c := mt.getCtx(m)
	defer mt.ctxs.Put(c)
	c.ev.flattenAttributes(m, attrs)
	return c.run(dst)
}

// machineOf returns the one-pattern machine of p.
func (p *Pattern) machineOf() *machine {
	p.once.Do(func() { p.single = buildMachine(map[string]*Pattern{"": p}) })
	return p.single
}

// MatchJSON reports whether a JSON object event matches p; an event that is
// not a JSON object is an *Error with code ValidationException.
func (p *Pattern) MatchJSON(event []byte) (bool, error) {
	m := p.machineOf()
	c := &matchCtx{}
	c.prepare(m)
	if err := c.ev.flattenJSON(m.index, &m.filter, len(m.paths), event); err != nil {
		return false, invalidEventError()
	}
	return len(c.run(nil)) > 0, nil
}

// MatchBody reports whether an SNS message body matches p (a filter policy of
// scope MessageBody). A body that is not a JSON object does not match.
func (p *Pattern) MatchBody(body []byte) bool {
	ok, err := p.MatchJSON(body)
	return ok && err == nil
}

// MatchAttributes reports whether SNS message attributes match p (a filter
// policy of scope MessageAttributes).
func (p *Pattern) MatchAttributes(attrs map[string]Attribute) bool {
	m := p.machineOf()
	c := &matchCtx{}
	c.prepare(m)
	c.ev.flattenAttributes(m, attrs)
	return len(c.run(nil)) > 0
}

// requiredEventFields are the top-level fields TestEventPattern requires.
var requiredEventFields = [...]string{"id", "account", "source", "time", "region", "detail-type"}

// Test implements TestEventPattern: it validates the pattern (an *Error with
// code InvalidEventPatternException) and the event (an *Error with code
// ValidationException when it is not a JSON object with the fields id,
// account, source, time, region and detail-type), then matches.
func Test(patternRaw, eventRaw []byte) (bool, error) {
	p, err := Compile(patternRaw)
	if err != nil {
		return false, err
	}
	if !hasTopLevelFields(eventRaw, requiredEventFields[:]) {
		return false, invalidEventError()
	}
	return p.MatchJSON(eventRaw)
}

// hasTopLevelFields reports whether raw is a valid JSON object with all the
// given top-level members.
func hasTopLevelFields(raw []byte, names []string) bool {
	var lx lexer
	lx.reset(raw)
	if t, err := lx.next(); err != nil || t != tokObjStart {
		return false
	}
	found := map[string]bool{}
	for {
		t, err := lx.next()
		if err != nil {
			return false
		}
		if t == tokObjEnd {
			break
		}
		found[string(lx.text)] = true
		if t, err = lx.next(); err != nil || lx.skipValue(t) != nil {
			return false
		}
	}
	for _, n := range names {
		if !found[n] {
			return false
		}
	}
	return true
}
