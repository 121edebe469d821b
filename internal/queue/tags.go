package queue

import (
	"context"
	"maps"

	"github.com/fogbank/fogbank/internal/store"
)

const maxTags = 50

func checkTags(tags map[string]string) error {
	if len(tags) > maxTags {
		return errorf(CodeInvalidParameterValue, "Too many tags added for queue. Maximum is %d.", maxTags)
	}
	for k, v := range tags {
		if k == "" || len(k) > 128 {
			return invalidValue("TagKey", k, "Tag keys must be between 1 and 128 characters in length.")
		}
		if len(v) > 256 {
			return invalidValue("TagValue", v, "Tag values must be less than 256 characters in length.")
		}
	}
	return nil
}

// TagQueue adds or replaces tags.
func (s *Service) TagQueue(ctx context.Context, c Caller, ref QueueRef, tags map[string]string) error {
	if len(tags) == 0 {
		return errorf(CodeMissingParameter, "The request must contain the parameter Tags.")
	}
	return s.updateTags(c, ref, func(cur map[string]string) error {
		maps.Copy(cur, tags)
		return checkTags(cur)
	})
}

// UntagQueue removes tags.
func (s *Service) UntagQueue(ctx context.Context, c Caller, ref QueueRef, keys []string) error {
	if len(keys) == 0 {
		return errorf(CodeMissingParameter, "The request must contain the parameter TagKeys.")
	}
	return s.updateTags(c, ref, func(cur map[string]string) error {
		for _, k := range keys {
			delete(cur, k)
		}
		return nil
	})
}

func (s *Service) updateTags(c Caller, ref QueueRef, edit func(map[string]string) error) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return errQueueDoesNotExist
	}
	next := maps.Clone(q.rec.Tags)
	if next == nil {
		next = map[string]string{}
	}
	if err := edit(next); err != nil {
		q.mu.Unlock()
		return err
	}
	q.rec.Tags = next
	done := s.store.Submit(store.PutQueue{Queue: q.rec})
	q.mu.Unlock()
	return commit(done)
}

// ListQueueTags returns a queue's tags.
func (s *Service) ListQueueTags(ctx context.Context, c Caller, ref QueueRef) (map[string]string, error) {
	q, err := s.lookup(c, ref)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return maps.Clone(q.rec.Tags), nil
}
