package schema

import (
	"fmt"
	"sort"
)

// ValidationTag is the event-bus tag that turns validation on (fogbank's,
// beyond AWS): its value names the registry whose schemas PutEvents checks
// entries against.
const ValidationTag = "fogbank:validate-schemas"

// ValidateEvent checks an event (the envelope targets receive) against the
// latest version of the schema in a registry for its source and
// detail-type: the schema named <source>@<DetailType>, else one whose root
// declares them (x-amazon-events-source, x-amazon-events-detail-type). An
// event with no such schema passes. The error says which schema and
// version, the JSON path and what is wrong.
func (s *Service) ValidateEvent(account, region, registryName, source, detailType string, event []byte) error {
	s.mu.Lock()
	r := s.getLocked(Caller{account, region}, registryName)
	var e *schemaEntry
	if r != nil {
		e = findEventSchema(r, source, detailType)
	}
	var cv *compiledVersion
	if e != nil {
		cv = e.compile()
	}
	s.mu.Unlock()
	if cv == nil || cv.root == nil {
		return nil
	}
	v, err := DecodeJSON(event)
	if err != nil {
		return fmt.Errorf("event is not valid JSON: %w", err)
	}
	if err := cv.root.Validate(v); err != nil {
		return fmt.Errorf("Event does not conform to schema %s version %s of registry %s: %w", e.rec.Name, cv.version, registryName, err) //nolint:staticcheck // a message for PutEvents results, AWS-style capitalised
	}
	return nil
}

func findEventSchema(r *registry, source, detailType string) *schemaEntry {
	if e := r.schemas[DiscoveredName(source, detailType)]; e != nil {
		return e
	}
	names := make([]string, 0, len(r.schemas))
	for n := range r.schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		e := r.schemas[n]
		cv := e.compile()
		if cv.source == source && cv.detailType == detailType {
			return e
		}
	}
	return nil
}

// compile compiles the latest version once (the caller holds s.mu).
func (e *schemaEntry) compile() *compiledVersion {
	v := e.latest()
	if e.compiled != nil && e.compiled.version == v.Version {
		return e.compiled
	}
	root, err := compileDocument(v.Type, v.Content)
	src, dt := eventKey(v.Type, v.Content)
	e.compiled = &compiledVersion{version: v.Version, root: root, err: err, source: src, detailType: dt}
	return e.compiled
}
