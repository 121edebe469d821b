package topic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
)

// maxMessage is the limit of a message and its attributes, and of a batch.
const maxMessage = 262144

const dedupWindow = 5 * time.Minute

// Message is one message to publish.
type Message struct {
	Message          string
	Subject          *string
	MessageStructure string
	Attributes       map[string]MessageAttribute
	GroupID          string
	DedupID          string
}

// PublishInput is Publish's input.
type PublishInput struct {
	Caller      Caller
	TopicArn    string // TopicArn or TargetArn
	PhoneNumber string
	TraceHeader string // X-Amzn-Trace-Id of the request, carried into SQS as AWSTraceHeader
	Message
}

// PublishOutput is Publish's output.
type PublishOutput struct {
	MessageID      string
	SequenceNumber string
}

// Publish accepts one message: the delivery jobs of every matching
// subscription are committed before it returns.
func (s *Service) Publish(ctx context.Context, in PublishInput) (PublishOutput, error) {
	if in.PhoneNumber != "" {
		return PublishOutput{}, invalidParameter("PhoneNumber Reason: fogbank does not send SMS")
	}
	if in.TopicArn == "" {
		return PublishOutput{}, invalidParameter("TopicArn Reason: An ARN must have at least 6 elements, not 1")
	}
	if strings.Contains(in.TopicArn, ":endpoint/") {
		// A mobile push endpoint: fogbank has none.
		return PublishOutput{}, invalidParameter("TargetArn Reason: No endpoint found for the target arn specified")
	}
	m, err := prepare(in.Message)
	if err != nil {
		return PublishOutput{}, err
	}
	outs, err := s.publish(ctx, in.Caller, in.TopicArn, in.TraceHeader, []prepared{m})
	if err != nil {
		return PublishOutput{}, err
	}
	return outs[0], nil
}

// BatchEntry is one entry of PublishBatch.
type BatchEntry struct {
	ID string
	Message
}

// PublishBatchInput is PublishBatch's input.
type PublishBatchInput struct {
	Caller      Caller
	TopicArn    string
	TraceHeader string
	Entries     []BatchEntry
}

// BatchResult is one successful entry.
type BatchResult struct {
	ID string
	PublishOutput
}

// BatchFailure is one failed entry.
type BatchFailure struct {
	ID, Code, Message string
	SenderFault       bool
}

var batchIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

// PublishBatch publishes up to 10 messages in one commit.
func (s *Service) PublishBatch(ctx context.Context, in PublishBatchInput) ([]BatchResult, []BatchFailure, error) {
	if err := checkBatch(in.Entries); err != nil {
		return nil, nil, err
	}
	var ms []prepared
	var ids []string
	for _, e := range in.Entries {
		m, err := prepare(e.Message)
		if err != nil {
			// AWS rejects the whole request for an invalid entry (recorded for
			// MessageStructure=json without a default entry).
			return nil, nil, err
		}
		ms, ids = append(ms, m), append(ids, e.ID)
	}
	if len(ms) == 0 {
		return nil, nil, nil
	}
	outs, err := s.publish(ctx, in.Caller, in.TopicArn, in.TraceHeader, ms)
	if err != nil {
		return nil, nil, err
	}
	res := make([]BatchResult, len(outs))
	for i, o := range outs {
		res[i] = BatchResult{ID: ids[i], PublishOutput: o}
	}
	return res, nil, nil
}

func checkBatch(entries []BatchEntry) error {
	if len(entries) == 0 {
		return &Error{Code: CodeEmptyBatchRequest, Message: "The batch request doesn't contain any entries."}
	}
	if len(entries) > 10 {
		return &Error{Code: CodeTooManyEntriesInBatchRequest, Message: "The batch request contains more entries than permissible."}
	}
	seen := map[string]bool{}
	total := 0
	for _, e := range entries {
		if len(e.ID) > 80 {
			return &Error{Code: CodeInvalidBatchEntryID, Message: "The Id of a batch entry in the batch request is too long: " + e.ID}
		}
		if !batchIDRE.MatchString(e.ID) {
			return &Error{Code: CodeInvalidBatchEntryID, Message: "The Id of a batch entry in the batch request contains an impermissible character: " + e.ID}
		}
		if seen[e.ID] {
			return &Error{Code: CodeBatchEntryIdsNotDistinct, Message: "Two or more batch entries in the request have the same Id."}
		}
		seen[e.ID] = true
		total += len(e.Message.Message)
		for k, a := range e.Attributes {
			total += len(k) + len(a.DataType) + len(a.str()) + len(a.BinaryValue)
		}
	}
	if total > maxMessage {
		return &Error{Code: CodeBatchRequestTooLong, Message: "The length of all the messages put together is more than the limit."}
	}
	return nil
}

// prepared is a validated message.
type prepared struct {
	Message
	perProtocol map[string]string // MessageStructure=json
}

func (p prepared) bodyFor(protocol string) string {
	if p.perProtocol == nil {
		return p.Message.Message
	}
	if v, ok := p.perProtocol[protocol]; ok {
		return v
	}
	return p.perProtocol["default"]
}

func prepare(m Message) (prepared, error) {
	if m.Message == "" {
		return prepared{}, errEmptyMessage
	}
	if m.Subject != nil && !validSubject(*m.Subject) {
		return prepared{}, invalidParameter("Subject")
	}
	size, err := validateAttributes(m.Attributes)
	if err != nil {
		return prepared{}, err
	}
	if len(m.Message)+size > maxMessage {
		return prepared{}, errMessageTooLong
	}
	p := prepared{Message: m}
	if m.MessageStructure == "json" {
		var raw map[string]any
		if json.Unmarshal([]byte(m.Message), &raw) != nil {
			return prepared{}, invalidParameter("Message Structure - JSON message body failed to parse")
		}
		if _, ok := raw["default"].(string); !ok {
			return prepared{}, invalidParameter("Message Structure - No default entry in JSON message body")
		}
		p.perProtocol = map[string]string{}
		for k, v := range raw {
			if str, ok := v.(string); ok {
				p.perProtocol[k] = str
			} else {
				b, _ := json.Marshal(v)
				p.perProtocol[k] = string(b)
			}
		}
	}
	return p, nil
}

func validSubject(s string) bool {
	if s == "" || len(s) >= 100 {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

// publish commits the jobs of every message on one topic.
func (s *Service) publish(ctx context.Context, c Caller, topicArnStr, trace string, ms []prepared) ([]PublishOutput, error) {
	if err := s.signer.ensure(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	t, err := s.lookupTopic(c, topicArnStr)
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	if err := checkFIFO(t, ms); err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	t.mu.Lock()
	outs := make([]PublishOutput, len(ms))
	var jobs []delivery.Job
	var fresh []string // dedup keys added by this call
	var dedupChanges []store.Change
	now := s.clock.Now()
	for i, m := range ms {
		out, dup, dkey, dc := s.assign(t, m, now)
		dedupChanges = append(dedupChanges, dc...)
		outs[i] = out
		if dup {
			continue
		}
		if dkey != "" {
			fresh = append(fresh, dkey)
		}
		jobs = append(jobs, s.jobsFor(t, m, out, now, c.Endpoint, trace)...)
	}
	changes := append(s.delivery.Jobs(jobs), dedupChanges...)
	if t.fifoTopic() {
		changes = append(changes, putTopic(t))
	}
	var done <-chan error
	if len(changes) > 0 {
		done = s.store.Submit(changes...)
	}
	t.mu.Unlock()
	s.mu.RUnlock()
	if done != nil {
		if err := commit(done); err != nil {
			s.delivery.Abandon(jobs)
			t.mu.Lock()
			for _, k := range fresh {
				t.dedup.remove(k)
			}
			t.mu.Unlock()
			return nil, err
		}
	}
	s.delivery.Wake(jobs)
	return outs, nil
}

func checkFIFO(t *topic, ms []prepared) error {
	for _, m := range ms {
		if !t.fifoTopic() {
			if m.DedupID != "" {
				return invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
			}
			continue
		}
		if m.GroupID == "" {
			return invalidParameter("The MessageGroupId parameter is required for FIFO topics")
		}
		if m.DedupID == "" && t.rec.Attrs["ContentBasedDeduplication"] != "true" {
			return invalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
	}
	return nil
}

// assign gives a message its id (and, on a FIFO topic, its sequence number
// and dedup entry); dup reports a duplicate within the dedup window.
// Call with t.mu held.
// The returned changes persist the new dedup entry (and delete expired ones).
func (s *Service) assign(t *topic, m prepared, now time.Time) (out PublishOutput, dup bool, dkey string, changes []store.Change) {
	if !t.fifoTopic() {
		return PublishOutput{MessageID: s.ids.UUID()}, false, "", nil
	}
	dkey = dedupKey(t, m)
	if e, ok := t.dedup.lookup(dkey, now); ok {
		return PublishOutput{MessageID: e.messageID, SequenceNumber: e.seq}, true, "", nil
	}
	t.rec.Seq++
	out = PublishOutput{MessageID: s.ids.UUID(), SequenceNumber: fmt.Sprintf("%020d", t.rec.Seq)}
	changes = t.dedup.add(t.rec.Arn, dkey, dedupEntry{messageID: out.MessageID, seq: out.SequenceNumber, expires: now.Add(dedupWindow)}, now)
	return out, false, dkey, changes
}

func dedupKey(t *topic, m prepared) string {
	id := m.DedupID
	if id == "" {
		id = contentDedupID(m.Message.Message)
	}
	if t.rec.Attrs["FifoThroughputScope"] == "MessageGroup" {
		return m.GroupID + "\x00" + id
	}
	return id
}

func contentDedupID(body string) string {
	h := sha256.Sum256([]byte(body))
	return hex.EncodeToString(h[:])
}

// jobsFor builds the delivery jobs of one message: one per confirmed
// subscription whose filter policy matches. Call with s.mu held.
func (s *Service) jobsFor(t *topic, m prepared, out PublishOutput, now time.Time, endpoint, trace string) []delivery.Job {
	var jobs []delivery.Job
	fattrs := filterAttrs(m.Attributes)
	for _, sa := range t.subs {
		sub := s.subs[sa]
		if sub.rec.Pending || !deliverable(sub.rec.Protocol) {
			continue
		}
		body := m.bodyFor(sub.rec.Protocol)
		if sub.filter != nil {
			if sub.scope == "MessageBody" && !sub.filter.MatchBody([]byte(body)) {
				continue
			}
			if sub.scope != "MessageBody" && !sub.filter.MatchAttributes(fattrs) {
				continue
			}
		}
		n := s.notification(t, sub, m, out, body, now, endpoint)
		n.Trace = trace
		jobs = append(jobs, s.job(t, sub, n))
	}
	return jobs
}

func deliverable(protocol string) bool {
	switch protocol {
	case "sqs", "http", "https", "lambda":
		return true
	}
	return false
}

func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// notification builds what one subscription receives.
func (s *Service) notification(t *topic, sub *subscription, m prepared, out PublishOutput, body string, now time.Time, endpoint string) notification {
	n := notification{Type: "Notification", MessageID: out.MessageID, TopicArn: t.rec.Arn, SubArn: sub.rec.Arn, GroupID: m.GroupID}
	if t.fifoTopic() {
		n.DedupID = m.DedupID
		if n.DedupID == "" {
			n.DedupID = contentDedupID(m.Message.Message)
		}
	}
	raw := sub.rec.Attrs["RawMessageDelivery"] == "true" && sub.rec.Protocol != "lambda"
	if raw {
		n.Raw, n.Body, n.Attrs = true, body, sqsAttrs(m.Attributes)
		return n
	}
	e := &envelope{
		Type: "Notification", MessageID: out.MessageID, SequenceNumber: out.SequenceNumber, TopicArn: t.rec.Arn,
		Message: body, Timestamp: timestamp(now), UnsubscribeURL: unsubscribeURL(endpoint, sub.rec.Arn),
		MessageAttributes: envelopeAttrs(m.Attributes),
	}
	if m.Subject != nil {
		e.Subject = *m.Subject
	}
	version := t.rec.Attrs["SignatureVersion"]
	if version == "" {
		version = "1"
	}
	// A lambda subscription's event is built from this envelope at delivery
	// (deliver_lambda.go); its dead letters are the envelope itself.
	n.Body = string(s.finish(e, version, endpoint))
	return n
}

// job wraps a notification into a delivery job with the protocol's policy.
func (s *Service) job(t *topic, sub *subscription, n notification) delivery.Job {
	payload, _ := json.Marshal(n)
	j := delivery.Job{ID: s.ids.UUID(), Kind: "sns-" + kindOf(sub.rec.Protocol), Target: sub.rec.Endpoint, Payload: payload, DeadLetter: redriveTarget(sub)}
	switch sub.rec.Protocol {
	case "sqs":
		j.Policy = sqsPolicy
		if t.fifoTopic() {
			j.OrderKey = sub.rec.Arn + "\x00" + n.GroupID
		}
	case "lambda":
		j.Policy = lambdaPolicy
	default:
		j.Policy = s.httpPolicy(t, sub)
	}
	return j
}

func kindOf(protocol string) string {
	if protocol == "https" {
		return "http"
	}
	return protocol
}

func redriveTarget(sub *subscription) string {
	var rp struct {
		DLQ string `json:"deadLetterTargetArn"`
	}
	_ = json.Unmarshal([]byte(sub.rec.Attrs["RedrivePolicy"]), &rp)
	return rp.DLQ
}
