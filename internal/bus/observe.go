package bus

// Observer sees every event a bus accepts (schema discovery). Observe MUST
// NOT block or keep event past a copy; it is called on PutEvents' path.
type Observer interface {
	// Observing reports whether events of the bus are wanted; it MUST be
	// cheap and not allocate.
	Observing(account, region, bus string) bool
	Observe(account, region, bus string, event []byte)
}

// Validator checks events against registered schemas (fogbank's opt-in
// validation). ValidateEvent MUST return nil when the registry has no
// schema for the source and detail-type, else a message-worthy error when
// the event does not conform.
type Validator interface {
	ValidateEvent(account, region, registry, source, detailType string, event []byte) error
}

// ValidationTag is the bus tag naming the registry whose schemas PutEvents
// checks entries against.
const ValidationTag = "fogbank:validate-schemas"

// hooks are the optional observer and validator.
type hooks struct {
	observer  Observer
	validator Validator
}

// SetHooks installs the observer and validator (either may be nil). Safe
// to call while the service runs.
func (s *Service) SetHooks(o Observer, v Validator) {
	s.hooks.Store(&hooks{observer: o, validator: v})
}

// observe hands an accepted event to the observer, if any.
func (s *Service) observe(c Caller, bus string, event []byte) {
	if h := s.hooks.Load(); h != nil && h.observer != nil {
		h.observer.Observe(c.Account, c.Region, bus, event)
	}
}

// observed is an accepted event waiting for PutEvents' commit.
type observed struct {
	c     Caller
	bus   string
	event []byte
}

// toObserve appends an event for observeAll. Without an observer watching
// the bus it returns seen unchanged (nothing allocated).
func (s *Service) toObserve(seen []observed, c Caller, bus string, event []byte) []observed {
	if h := s.hooks.Load(); h == nil || h.observer == nil || !h.observer.Observing(c.Account, c.Region, bus) {
		return seen
	}
	return append(seen, observed{c, bus, event})
}

func (s *Service) observeAll(seen []observed) {
	for _, o := range seen {
		s.observe(o.c, o.bus, o.event)
	}
}

// validate checks an entry when its bus opts in; it returns the per-entry
// error message, or "".
func (s *Service) validate(c Caller, bus string, e Entry, event []byte) string {
	h := s.hooks.Load()
	if h == nil || h.validator == nil {
		return ""
	}
	s.mu.RLock()
	b := s.buses[busKey{c.Account, c.Region, bus}]
	registry := ""
	if b != nil {
		registry = b.rec.Tags[ValidationTag]
	}
	s.mu.RUnlock()
	if registry == "" {
		return ""
	}
	if err := h.validator.ValidateEvent(c.Account, c.Region, registry, *e.Source, *e.DetailType, event); err != nil {
		return err.Error()
	}
	return ""
}
