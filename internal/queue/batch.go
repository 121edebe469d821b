package queue

import (
	"context"
	"fmt"
	"strings"
)

// maxBatchEntries is the largest number of entries in one batch request.
const maxBatchEntries = 10

// BatchFailure is one failed batch entry.
type BatchFailure struct {
	ID  string
	Err *Error
}

// checkBatchIDs applies the request-level checks every batch operation makes.
func checkBatchIDs(op string, ids []string) error {
	if len(ids) == 0 {
		return errorf(CodeEmptyBatchRequest, "There should be at least one %sRequestEntry in the request.", op)
	}
	if len(ids) > maxBatchEntries {
		return errorf(CodeTooManyEntriesInBatchRequest, "Maximum number of entries per request are %d. You have sent %d.", maxBatchEntries, len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !batchEntryRE.MatchString(id) {
			return errorf(CodeInvalidBatchEntryID, "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
		}
		if seen[id] {
			return errorf(CodeBatchEntryIdsNotDistinct, "Id %s repeated.", id)
		}
		seen[id] = true
	}
	return nil
}

// SendMessageBatchEntry is one entry of SendMessageBatch.
type SendMessageBatchEntry struct {
	ID string
	SendMessageInput
}

// SendMessageBatchResult is one successful entry.
type SendMessageBatchResult struct {
	ID string
	SendMessageOutput
}

// SendMessageBatch sends up to ten messages; entries fail individually.
func (s *Service) SendMessageBatch(ctx context.Context, c Caller, ref QueueRef, entries []SendMessageBatchEntry) ([]SendMessageBatchResult, []BatchFailure, error) {
	ids := make([]string, len(entries))
	total := 0
	for i, e := range entries {
		ids[i] = e.ID
		total += len(e.Body) + attributesSize(e.Attributes) + attributesSize(e.SystemAttributes)
	}
	if err := checkBatchIDs("SendMessageBatch", ids); err != nil {
		return nil, nil, err
	}
	if total > MaxMessageSize {
		return nil, nil, errorf(CodeBatchRequestTooLong, "Batch requests cannot be longer than %d bytes. You have sent %d bytes.", MaxMessageSize, total)
	}
	q, err := s.lookup(c, ref)
	if err != nil {
		return nil, nil, err
	}
	cfg := q.config()
	if cfg.fifo {
		if err := checkFifoBatch(entries, cfg); err != nil {
			return nil, nil, err
		}
	}
	var ok []SendMessageBatchResult
	var failed []BatchFailure
	var waits []<-chan error
	for _, e := range entries {
		e.Caller, e.Queue = c, ref
		out, done, err := s.sendEntry(q, e.SendMessageInput, cfg)
		if err != nil {
			failed = append(failed, BatchFailure{ID: e.ID, Err: batchEntryError(err)})
			continue
		}
		waits = append(waits, done)
		ok = append(ok, SendMessageBatchResult{ID: e.ID, SendMessageOutput: out})
	}
	for _, w := range waits {
		if err := commit(w); err != nil {
			return nil, nil, err
		}
	}
	return ok, failed, nil
}

func (s *Service) sendEntry(q *queue, in SendMessageInput, cfg config) (SendMessageOutput, <-chan error, error) {
	m, err := s.prepare(in, cfg.maxSize, cfg.fifo)
	if err != nil {
		return SendMessageOutput{}, nil, err
	}
	return s.enqueue(q, m)
}

// checkFifoBatch makes the FIFO checks that fail a whole batch on AWS.
func checkFifoBatch(entries []SendMessageBatchEntry, cfg config) error {
	for _, e := range entries {
		if e.GroupID == nil {
			return errorf(CodeInvalidParameterValue, "The request must contain the parameter MessageGroupId.")
		}
		if e.DedupID == nil && !cfg.contentDedup {
			return errorf(CodeInvalidParameterValue, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
	}
	return nil
}

// batchEntryError rewords a send error as AWS reports it inside a batch.
func batchEntryError(err error) *Error {
	e, ok := err.(*Error) //nolint:errorlint // domain errors are never wrapped here
	if !ok {
		return &Error{Code: CodeInvalidParameterValue, Message: err.Error()}
	}
	if msg, found := strings.CutPrefix(e.Message, "One or more parameters are invalid. "); found {
		return &Error{Code: e.Code, Message: "One or more parameters cannot be validated. " + msg}
	}
	return e
}

func attributesSize(attrs map[string]MessageAttribute) int {
	n := 0
	for k, a := range attrs {
		n += len(k) + len(a.DataType) + len(a.BinaryValue)
		if a.StringValue != nil {
			n += len(*a.StringValue)
		}
	}
	return n
}

// DeleteMessageBatchEntry is one entry of DeleteMessageBatch.
type DeleteMessageBatchEntry struct {
	ID            string
	ReceiptHandle string
}

// DeleteMessageBatch deletes up to ten messages; entries fail individually.
func (s *Service) DeleteMessageBatch(ctx context.Context, c Caller, ref QueueRef, entries []DeleteMessageBatchEntry) ([]string, []BatchFailure, error) {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	if err := checkBatchIDs("DeleteMessageBatch", ids); err != nil {
		return nil, nil, err
	}
	q, err := s.lookup(c, ref)
	if err != nil {
		return nil, nil, err
	}
	return runBatch(entries, func(e DeleteMessageBatchEntry) (string, <-chan error, error) {
		done, err := s.deleteLocked(q, e.ReceiptHandle)
		return e.ID, done, err
	})
}

// ChangeVisibilityBatchEntry is one entry of ChangeMessageVisibilityBatch.
type ChangeVisibilityBatchEntry struct {
	ID                string
	ReceiptHandle     string
	VisibilityTimeout int64
}

// ChangeMessageVisibilityBatch changes up to ten visibility timeouts.
func (s *Service) ChangeMessageVisibilityBatch(ctx context.Context, c Caller, ref QueueRef, entries []ChangeVisibilityBatchEntry) ([]string, []BatchFailure, error) {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	if err := checkBatchIDs("ChangeMessageVisibilityBatch", ids); err != nil {
		return nil, nil, err
	}
	q, err := s.lookup(c, ref)
	if err != nil {
		return nil, nil, err
	}
	return runBatch(entries, func(e ChangeVisibilityBatchEntry) (string, <-chan error, error) {
		done, err := s.changeVisibilityLocked(q, e.ReceiptHandle, e.VisibilityTimeout)
		return e.ID, done, err
	})
}

func runBatch[E any](entries []E, do func(E) (string, <-chan error, error)) ([]string, []BatchFailure, error) {
	var ok []string
	var failed []BatchFailure
	var waits []<-chan error
	for _, e := range entries {
		id, done, err := do(e)
		if err != nil {
			var qe *Error
			if !asError(err, &qe) {
				return nil, nil, err
			}
			if qe.Code == CodeQueueDoesNotExist {
				return nil, nil, qe
			}
			failed = append(failed, BatchFailure{ID: id, Err: qe})
			continue
		}
		waits = append(waits, done)
		ok = append(ok, id)
	}
	for _, w := range waits {
		if err := commit(w); err != nil {
			return nil, nil, fmt.Errorf("queue: batch: %w", err)
		}
	}
	return ok, failed, nil
}
