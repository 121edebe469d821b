package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
)

// MaxRequestSize is the limit of the sum of the entry sizes of one PutEvents.
const MaxRequestSize = 1 << 20

// PutEvents per-entry error codes.
const (
	ErrInvalidArgument = "InvalidArgument"
	ErrMalformedDetail = "MalformedDetail"
	ErrAccessDenied    = "AccessDeniedException"
)

// Entry is one event put on a bus.
type Entry struct {
	Time         *time.Time
	Source       *string
	Resources    []string
	DetailType   *string
	Detail       *string
	EventBusName string
	TraceHeader  *string
}

// size is the entry's size as AWS counts it: 14 bytes for a time, plus the
// UTF-8 bytes of source, detail-type, detail and each resource.
func (e Entry) size() int {
	n := 0
	if e.Time != nil {
		n += 14
	}
	for _, s := range []*string{e.Source, e.DetailType, e.Detail} {
		if s != nil {
			n += len(*s)
		}
	}
	for _, r := range e.Resources {
		n += len(r)
	}
	return n
}

// EntryResult is the outcome of one entry: an event id, or an error.
type EntryResult struct {
	EventID      string
	ErrorCode    string
	ErrorMessage string
}

// PutEventsInput puts 1 to 10 events.
type PutEventsInput struct {
	Caller
	Entries []Entry
}

// PutEvents accepts events: it matches each against its bus's rules and
// commits one delivery job per matched target, all in one transaction,
// before it returns. Results are in request order.
func (s *Service) PutEvents(ctx context.Context, in PutEventsInput) ([]EntryResult, error) {
	if len(in.Entries) == 0 {
		return nil, constraint("[]", "entries", "Member must have length greater than or equal to 1")
	}
	if len(in.Entries) > 10 {
		return nil, constraint(entriesString(in.Entries), "entries", "Member must have length less than or equal to 10")
	}
	total := 0
	for _, e := range in.Entries {
		total += e.size()
	}
	if total > MaxRequestSize {
		return nil, validation("Total size of the entries in the request is over the limit.")
	}
	now := s.clock.Now()
	results := make([]EntryResult, len(in.Entries))
	var jobs []delivery.Job
	var archived []store.Change
	var seen []observed
	for i, e := range in.Entries {
		if code, msg := validateEntry(e); code != "" {
			results[i] = EntryResult{ErrorCode: code, ErrorMessage: msg}
			continue
		}
		dest, bus, denied := s.destination(in.Caller, e.EventBusName)
		if denied != "" {
			results[i] = EntryResult{ErrorCode: ErrAccessDenied, ErrorMessage: denied}
			continue
		}
		id := s.ids.UUID()
		ev := envelope(id, in.Caller, e, now)
		if msg := s.validate(dest, bus, e, ev); msg != "" {
			results[i] = EntryResult{ErrorCode: ErrInvalidArgument, ErrorMessage: msg}
			continue
		}
		results[i] = EntryResult{EventID: id}
		seen = s.toObserve(seen, dest, bus, ev)
		trace := ""
		if e.TraceHeader != nil {
			trace = *e.TraceHeader
		}
		at := now
		if e.Time != nil {
			at = *e.Time
		}
		jobs = s.route(dest, bus, ev, trace, now, jobs, nil)
		archived = s.archive(dest, bus, id, ev, at, archived)
	}
	if err := s.accept(ctx, jobs, archived...); err != nil {
		return results, err
	}
	s.observeAll(seen)
	return results, nil
}

// destination resolves an entry's bus (a name, or an ARN possibly of
// another account or region). Under strict auth a bus of another account
// must grant the caller events:PutEvents; denied is then AWS's message.
func (s *Service) destination(c Caller, nameOrArn string) (dest Caller, bus, denied string) {
	dest, bus = c, busName(nameOrArn)
	a, err := arn.Parse(nameOrArn)
	if err != nil || a.Service != "events" {
		return dest, bus, ""
	}
	dest = Caller{Account: a.Account, Region: a.Region}
	if !s.strict || dest.Account == c.Account {
		return dest, bus, ""
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if b := s.buses[busKey{dest.Account, dest.Region, bus}]; b != nil && b.allows(c.Account) {
		return dest, bus, ""
	}
	return dest, bus, "User: arn:aws:iam::" + c.Account + ":root is not authorized to perform: events:PutEvents on resource: " + busArn(dest.Region, dest.Account, bus)
}

// archive appends the records archiving an event on a bus.
func (s *Service) archive(c Caller, bus, id string, event []byte, at time.Time, changes []store.Change) []store.Change {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if b := s.buses[busKey{c.Account, c.Region, bus}]; b != nil && len(b.archives) > 0 {
		return s.archiveChanges(b, id, event, at, changes)
	}
	return changes
}

// accept commits jobs (with extra changes) and schedules them.
func (s *Service) accept(ctx context.Context, jobs []delivery.Job, extra ...store.Change) error {
	if len(jobs) == 0 && len(extra) == 0 {
		return nil
	}
	changes := append(s.jobs.Jobs(jobs), extra...)
	if err := s.store.Apply(ctx, changes...); err != nil {
		s.jobs.Abandon(jobs)
		return fmt.Errorf("bus: accept events: %w", err)
	}
	s.jobs.Wake(jobs)
	return nil
}

func validateEntry(e Entry) (code, msg string) {
	for _, f := range []struct {
		name string
		v    *string
	}{{"Source", e.Source}, {"DetailType", e.DetailType}, {"Detail", e.Detail}} {
		if f.v == nil || *f.v == "" {
			return ErrInvalidArgument, "Parameter " + f.name + " is not valid. Reason: " + f.name + " is a required argument."
		}
	}
	d := bytes.TrimSpace([]byte(*e.Detail))
	if len(d) == 0 || d[0] != '{' || !json.Valid(d) {
		return ErrMalformedDetail, "Detail is malformed."
	}
	return "", ""
}

// envelope builds the event exactly as targets receive it, keys in AWS's
// order.
func envelope(id string, c Caller, e Entry, now time.Time) []byte {
	t := now
	if e.Time != nil {
		t = *e.Time
	}
	var b bytes.Buffer
	b.WriteString(`{"version":"0","id":`)
	writeJSON(&b, id)
	b.WriteString(`,"detail-type":`)
	writeJSON(&b, *e.DetailType)
	b.WriteString(`,"source":`)
	writeJSON(&b, *e.Source)
	b.WriteString(`,"account":`)
	writeJSON(&b, c.Account)
	b.WriteString(`,"time":`)
	writeJSON(&b, t.UTC().Truncate(time.Second).Format(time.RFC3339))
	b.WriteString(`,"region":`)
	writeJSON(&b, c.Region)
	b.WriteString(`,"resources":`)
	if e.Resources == nil {
		b.WriteString("[]")
	} else {
		writeJSON(&b, e.Resources)
	}
	b.WriteString(`,"detail":`)
	_ = json.Compact(&b, []byte(*e.Detail))
	b.WriteByte('}')
	return b.Bytes()
}

func writeJSON(b *bytes.Buffer, v any) {
	out, _ := marshal(v)
	b.Write(out)
}

// route matches an event on a bus and appends a job per matched target of
// the rules in only (all rules when nil). An event for a bus that does not
// exist is accepted and dropped, as in AWS.
func (s *Service) route(c Caller, bus string, event []byte, trace string, now time.Time, jobs []delivery.Job, only map[string]bool) []delivery.Job {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buses[busKey{c.Account, c.Region, bus}]
	if b == nil {
		return jobs
	}
	names, err := b.matcher.MatchJSON(event)
	if err != nil {
		return jobs
	}
	id := eventID(event)
	for _, name := range names {
		r := b.rules[name]
		if r == nil || !r.enabled() || (only != nil && !only[r.rec.Arn]) {
			continue
		}
		jobs = s.ruleJobs(r, id, event, trace, now, jobs)
	}
	return jobs
}

// ruleJobs appends a job per target of a rule that an event matched.
func (s *Service) ruleJobs(r *rule, id string, event []byte, trace string, now time.Time, jobs []delivery.Job) []delivery.Job {
	rc := renderContext{RuleArn: r.rec.Arn, RuleName: r.rec.Name, IngestionTime: now.UTC().Format("2006-01-02T15:04:05.000Z")}
	for _, t := range r.rec.Targets {
		payload, ok := renderInput(t, event, rc)
		if !ok {
			s.log.Debug("bus: rendered input is not valid; event not delivered", "rule", r.rec.Arn, "target", t.ID)
			continue
		}
		jobs = append(jobs, s.job(r, t, id, event, payload, trace))
	}
	return jobs
}

// Job attributes.
const (
	attrRule    = "rule"
	attrTarget  = "targetId"
	attrGroup   = "group"
	attrTrace   = "trace"
	attrEvent   = "event"
	attrEventID = "eventId"
)

// JobKind is the delivery job kind of EventBridge targets.
const JobKind = "events-target"

func (s *Service) job(r *rule, t Target, eventID string, event, payload []byte, trace string) delivery.Job {
	attrs := map[string]string{attrRule: r.rec.Arn, attrTarget: t.ID, attrEventID: eventID}
	if t.SqsParameters != nil && t.SqsParameters.MessageGroupID != nil {
		attrs[attrGroup] = *t.SqsParameters.MessageGroupID
	}
	if trace != "" {
		attrs[attrTrace] = trace
	}
	if t.HTTPParameters != nil {
		b, _ := json.Marshal(t.HTTPParameters)
		attrs[attrHTTP] = string(b)
	}
	j := delivery.Job{ID: s.ids.UUID(), Kind: JobKind, Target: t.Arn, Payload: payload, Attrs: attrs, Policy: retryPolicy(t.RetryPolicy)}
	if g, ok := attrs[attrGroup]; ok && isFIFOQueueArn(t.Arn) {
		// A FIFO queue receives one group's events in the order they were put.
		j.OrderKey = r.rec.Arn + "\x00" + t.ID + "\x00" + g
	}
	if t.DeadLetterConfig != nil && t.DeadLetterConfig.Arn != nil {
		j.DeadLetter = *t.DeadLetterConfig.Arn
		if !bytes.Equal(event, payload) {
			attrs[attrEvent] = string(event)
		}
	}
	return j
}

// retryPolicy maps EventBridge's policy (defaults: 185 retries, 24 hours).
func retryPolicy(p *RetryPolicy) delivery.RetryPolicy {
	retries, age := int32(185), int32(86400)
	if p != nil && p.MaximumRetryAttempts != nil {
		retries = *p.MaximumRetryAttempts
	}
	if p != nil && p.MaximumEventAgeInSeconds != nil {
		age = *p.MaximumEventAgeInSeconds
	}
	return delivery.RetryPolicy{
		MaxAttempts: int(retries) + 1, MaxAge: time.Duration(age) * time.Second,
		BaseDelay: time.Second, MaxDelay: 5 * time.Minute,
	}
}

func eventID(event []byte) string {
	var head struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(event, &head)
	return head.ID
}

// entriesString renders entries as AWS's validation message does.
func entriesString(entries []Entry) string {
	var b bytes.Buffer
	b.WriteByte('[')
	str := func(s *string) string {
		if s == nil {
			return "null"
		}
		return *s
	}
	for i, e := range entries {
		if i > 0 {
			b.WriteString(", ")
		}
		tm := "null"
		if e.Time != nil {
			tm = strconv.FormatInt(e.Time.Unix(), 10)
		}
		res := "null"
		if e.Resources != nil {
			res = fmt.Sprint(e.Resources)
		}
		bus := "null"
		if e.EventBusName != "" {
			bus = e.EventBusName
		}
		fmt.Fprintf(&b, "PutEventsRequestEntry(time=%s, source=%s, resources=%s, detailType=%s, detail=%s, eventBusName=%s, traceHeader=%s, kmsKeyIdentifier=null, internalMetadata=null)",
			tm, str(e.Source), res, str(e.DetailType), str(e.Detail), bus, str(e.TraceHeader))
	}
	b.WriteByte(']')
	return b.String()
}
