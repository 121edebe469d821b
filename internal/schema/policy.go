package schema

import (
	"context"
	"encoding/json"

	"github.com/fogbank/fogbank/internal/store"
)

// policyRecord is a resource policy of a registry ("" for the account's
// registries as a whole), as stored.
type policyRecord struct {
	Account  string `json:"account"`
	Region   string `json:"region"`
	Registry string `json:"registry"`
	Policy   string `json:"policy"`
	Revision string `json:"revision"`
}

func (r policyRecord) key() string { return r.Account + "/" + r.Region + "/" + r.Registry }

// Policy is a resource policy and its revision.
type Policy struct {
	Policy   string
	Revision string
}

func (s *Service) policyTargetLocked(c Caller, registryName string) error {
	if registryName == "" {
		return nil
	}
	if registryName == AWSRegistry {
		return forbidden("Registry %s is managed by AWS and cannot be modified.", registryName)
	}
	if s.getLocked(c, registryName) == nil {
		return registryNotFound(registryName)
	}
	return nil
}

// PutResourcePolicy sets a registry's policy. A revision id, when given,
// must be the current one (optimistic locking).
func (s *Service) PutResourcePolicy(ctx context.Context, c Caller, registryName, policy, revision string) (Policy, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil || doc == nil {
		return Policy{}, badRequest("Policy is not a valid JSON policy document.")
	}
	if _, ok := doc["Statement"]; !ok {
		return Policy{}, badRequest("Policy must contain a Statement.")
	}
	s.mu.Lock()
	if err := s.policyTargetLocked(c, registryName); err != nil {
		s.mu.Unlock()
		return Policy{}, err
	}
	cur := s.policies[c.key(registryName)]
	if revision != "" && (cur == nil || cur.Revision != revision) {
		s.mu.Unlock()
		return Policy{}, &Error{Code: CodePreconditionFailed, Message: "The revision id " + revision + " does not match the policy's current revision."}
	}
	rec := &policyRecord{Account: c.Account, Region: c.Region, Registry: registryName, Policy: policy, Revision: s.ids.UUID()}
	s.policies[c.key(registryName)] = rec
	wait := s.commit(put(RecordPolicy, rec.key(), rec))
	s.mu.Unlock()
	return Policy{Policy: rec.Policy, Revision: rec.Revision}, wait(ctx)
}

// GetResourcePolicy returns a registry's policy.
func (s *Service) GetResourcePolicy(_ context.Context, c Caller, registryName string) (Policy, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.policyTargetLocked(c, registryName); err != nil && !IsCode(err, CodeForbidden) {
		return Policy{}, err
	}
	p := s.policies[c.key(registryName)]
	if p == nil {
		return Policy{}, notFound("Resource policy for registry %s does not exist.", registryName)
	}
	return Policy{Policy: p.Policy, Revision: p.Revision}, nil
}

// DeleteResourcePolicy removes a registry's policy.
func (s *Service) DeleteResourcePolicy(ctx context.Context, c Caller, registryName string) error {
	s.mu.Lock()
	p := s.policies[c.key(registryName)]
	if p == nil {
		s.mu.Unlock()
		return notFound("Resource policy for registry %s does not exist.", registryName)
	}
	delete(s.policies, c.key(registryName))
	wait := s.commit(store.DeleteRecord{Kind: RecordPolicy, Key: p.key()})
	s.mu.Unlock()
	return wait(ctx)
}
