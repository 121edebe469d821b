package queue

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

var queueNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// deletedRecentlyMillis is how long a deleted queue's name stays reserved.
const deletedRecentlyMillis = 60_000

// CreateQueueInput is the input of CreateQueue.
type CreateQueueInput struct {
	Caller     Caller
	Name       string
	Attributes map[string]string
	Tags       map[string]string
}

// CreateQueue creates a queue, or returns the existing one when every given
// attribute matches it.
func (s *Service) CreateQueue(ctx context.Context, in CreateQueueInput) (QueueRef, error) {
	if err := checkQueueName(in.Name); err != nil {
		return QueueRef{}, err
	}
	attrs, err := initialAttributes(in.Name, in.Attributes)
	if err != nil {
		return QueueRef{}, err
	}
	if err := s.checkDeadLetterTarget(attrs, in.Name); err != nil {
		return QueueRef{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return QueueRef{}, err
	}
	ref := QueueRef{Account: in.Caller.Account, Name: in.Name}
	now := s.nowMillis()
	s.mu.Lock()
	if q := s.queues[regionKey{in.Caller.Account, in.Caller.Region}][in.Name]; q != nil {
		s.mu.Unlock()
		return ref, q.sameAttributes(in.Attributes)
	}
	key := in.Caller.Account + "/" + in.Caller.Region + "/" + in.Name
	if at, ok := s.deleted[key]; ok && now-at < deletedRecentlyMillis {
		s.mu.Unlock()
		return QueueRef{}, errorf(CodeQueueDeletedRecently, "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
	}
	rec := store.Queue{
		ID: s.ids.UUID(), Account: in.Caller.Account, Region: in.Caller.Region, Name: in.Name,
		Attributes: attrs, Tags: maps.Clone(in.Tags), CreatedAt: now, ModifiedAt: now, NextSeq: 1,
	}
	q := newQueue(rec, arn.SQS(rec.Region, rec.Account, rec.Name))
	s.register(q)
	done := s.store.Submit(store.PutQueue{Queue: rec})
	s.mu.Unlock()
	return ref, commit(done)
}

func checkQueueName(name string) error {
	base := strings.TrimSuffix(name, ".fifo")
	if len(name) > 80 || !queueNameRE.MatchString(base) {
		return errorf(CodeInvalidParameterValue, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	return nil
}

func (q *queue) sameAttributes(in map[string]string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if k := conflictingAttribute(q.rec.Attributes, in); k != "" {
		return errorf(CodeQueueNameExists, "A queue already exists with the same name and a different value for attribute %s", k)
	}
	return nil
}

// checkDeadLetterTarget verifies that a redrive policy names an existing
// queue of the same type.
func (s *Service) checkDeadLetterTarget(attrs map[string]string, name string) error {
	raw := attrs[AttrRedrivePolicy]
	if raw == "" {
		return nil
	}
	p := parseConfig(attrs).redrive
	dlq := s.lookupARN(p.DeadLetterTargetArn)
	if dlq == nil {
		return errorf(CodeInvalidParameterValue, "Value %s for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.", raw)
	}
	if strings.HasSuffix(dlq.rec.Name, ".fifo") != strings.HasSuffix(name, ".fifo") {
		return errorf(CodeInvalidParameterValue, "Value %s for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..", raw)
	}
	return nil
}

// DeleteQueue deletes a queue and its messages.
func (s *Service) DeleteQueue(ctx context.Context, c Caller, ref QueueRef) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	s.mu.Lock()
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		s.mu.Unlock()
		return errQueueDoesNotExist
	}
	q.deleted = true
	q.notify()
	s.unregister(q)
	s.deleted[q.rec.Account+"/"+q.rec.Region+"/"+q.rec.Name] = s.nowMillis()
	done := s.store.Submit(store.DeleteQueue{QueueID: q.rec.ID})
	q.mu.Unlock()
	s.mu.Unlock()
	return commit(done)
}

// GetQueueURL checks that a queue exists for the caller and returns its ref.
func (s *Service) GetQueueURL(ctx context.Context, c Caller, name, ownerAccount string) (QueueRef, error) {
	ref := QueueRef{Account: ownerAccount, Name: name}
	if ref.Account == "" {
		ref.Account = c.Account
	}
	if _, err := s.lookup(c, ref); err != nil {
		return QueueRef{}, err
	}
	return ref, nil
}

// ListQueuesInput is the input of ListQueues.
type ListQueuesInput struct {
	Caller     Caller
	Prefix     string
	MaxResults *int64
	After      string // the last queue name of the previous page
}

// ListQueuesOutput lists queue refs in name order.
type ListQueuesOutput struct {
	Queues []QueueRef
	More   bool
}

// ListQueues lists the caller's queues in the caller's region.
func (s *Service) ListQueues(ctx context.Context, in ListQueuesInput) (ListQueuesOutput, error) {
	limit := int64(1000)
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 1000 {
			return ListQueuesOutput{}, invalidValue("MaxResults", *in.MaxResults, "MaxResults must be an integer between 1 and 1000.")
		}
		limit = *in.MaxResults
	}
	s.mu.RLock()
	var names []string
	for name := range s.queues[regionKey{in.Caller.Account, in.Caller.Region}] {
		if strings.HasPrefix(name, in.Prefix) && name > in.After {
			names = append(names, name)
		}
	}
	s.mu.RUnlock()
	slices.Sort(names)
	var out ListQueuesOutput
	for i, n := range names {
		if int64(i) == limit {
			out.More = in.MaxResults != nil
			break
		}
		out.Queues = append(out.Queues, QueueRef{Account: in.Caller.Account, Name: n})
	}
	return out, nil
}

// GetQueueAttributes returns the named attributes ("All" for every one).
func (s *Service) GetQueueAttributes(ctx context.Context, c Caller, ref QueueRef, names []string) (map[string]string, error) {
	q, err := s.lookup(c, ref)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		if n != AttrAll && !slices.Contains(attributeOrder, n) {
			return nil, errorf(CodeInvalidAttributeName, "Unknown Attribute %s.", n)
		}
		want[n] = true
	}
	now := s.nowMillis()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return nil, errQueueDoesNotExist
	}
	q.expire(s, now)
	all := q.allAttributes(now)
	out := map[string]string{}
	for k, v := range all {
		if want[AttrAll] || want[k] {
			out[k] = v
		}
	}
	return out, nil
}

func (q *queue) allAttributes(now int64) map[string]string {
	out := maps.Clone(q.rec.Attributes)
	visible, notVisible, delayed := q.counts(now)
	out[AttrApproximateNumberOfMessages] = strconv.Itoa(visible)
	out[AttrApproximateNumberOfMessagesNotVisible] = strconv.Itoa(notVisible)
	out[AttrApproximateNumberOfMessagesDelayed] = strconv.Itoa(delayed)
	out[AttrCreatedTimestamp] = strconv.FormatInt(q.rec.CreatedAt/1000, 10)
	out[AttrLastModifiedTimestamp] = strconv.FormatInt(q.rec.ModifiedAt/1000, 10)
	out[AttrQueueArn] = q.arn
	return out
}

// SetQueueAttributes changes settable attributes.
func (s *Service) SetQueueAttributes(ctx context.Context, c Caller, ref QueueRef, attrs map[string]string) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	q.mu.Lock()
	next, err := updatedAttributes(q.rec.Attributes, attrs)
	q.mu.Unlock()
	if err != nil {
		return err
	}
	if err := s.checkDeadLetterTarget(next, ref.Name); err != nil {
		return err
	}
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return errQueueDoesNotExist
	}
	// Re-derive from the current state so concurrent updates compose.
	next, err = updatedAttributes(q.rec.Attributes, attrs)
	if err != nil {
		q.mu.Unlock()
		return err
	}
	q.rec.Attributes = next
	q.rec.ModifiedAt = s.nowMillis()
	q.cfg = parseConfig(next)
	done := s.store.Submit(store.PutQueue{Queue: q.rec})
	q.notify()
	q.mu.Unlock()
	return commit(done)
}

// ListDeadLetterSourceQueues lists queues whose redrive policy targets ref.
func (s *Service) ListDeadLetterSourceQueues(ctx context.Context, c Caller, ref QueueRef, maxResults *int64, after string) (ListQueuesOutput, error) {
	dlq, err := s.lookup(c, ref)
	if err != nil {
		return ListQueuesOutput{}, err
	}
	limit := int64(1000)
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > 1000 {
			return ListQueuesOutput{}, invalidValue("MaxResults", *maxResults, "MaxResults must be an integer between 1 and 1000.")
		}
		limit = *maxResults
	}
	s.mu.RLock()
	var sources []*queue
	for _, q := range s.queues[regionKey{dlq.rec.Account, dlq.rec.Region}] {
		sources = append(sources, q)
	}
	s.mu.RUnlock()
	var names []string
	for _, q := range sources {
		q.mu.Lock()
		if p := q.cfg.redrive; p != nil && p.DeadLetterTargetArn == dlq.arn && q.rec.Name > after {
			names = append(names, q.rec.Name)
		}
		q.mu.Unlock()
	}
	slices.Sort(names)
	var out ListQueuesOutput
	for i, n := range names {
		if int64(i) == limit {
			out.More = maxResults != nil
			break
		}
		out.Queues = append(out.Queues, QueueRef{Account: dlq.rec.Account, Name: n})
	}
	return out, nil
}
