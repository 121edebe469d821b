package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/flow/engine"
)

// MockConfig is a Step Functions Local mock configuration (the file
// SFN_MOCK_CONFIG names):
//
//	{
//	  "StateMachines": {
//	    "<state machine name>": {
//	      "TestCases": {
//	        "<test case>": {"<state name>": "<mocked response name>", ...}
//	      }
//	    }
//	  },
//	  "MockedResponses": {
//	    "<mocked response name>": {
//	      "0":   {"Return": <the task's result>},
//	      "1-2": {"Throw": {"Error": "<error>", "Cause": "<cause>"}}
//	    }
//	  }
//	}
//
// An execution runs a test case when StartExecution names the state
// machine as "<stateMachineArn>#<test case>". A mocked state's n-th
// invocation (from 0, retries included) answers with the response whose key
// is n or a range "a-b" holding n; each response has exactly one of Return
// and Throw. The keys of one mocked response MUST cover 0, 1, 2, ... with
// no gap or overlap; past the last key the last response answers again.
// A .waitForTaskToken state's Return is the task's result, as if
// SendTaskSuccess had sent it; no request goes out. States a test case
// does not name run against the services as usual.
type MockConfig struct {
	machines  map[string]map[string]map[string]string // machine → test case → state → response
	responses map[string][]mockResponse
}

// mockResponse answers the invocations from..to (inclusive).
type mockResponse struct {
	from, to int
	result   json.RawMessage // decoded afresh for each answer
	fail     *engine.Failure
}

// LoadMockConfig reads and parses a mock configuration file.
func LoadMockConfig(path string) (*MockConfig, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the operator names the file (SFN_MOCK_CONFIG)
	if err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	return ParseMockConfig(b)
}

type mockFile struct {
	StateMachines map[string]struct {
		TestCases map[string]map[string]string `json:"TestCases"`
	} `json:"StateMachines"`
	MockedResponses map[string]map[string]struct {
		Return json.RawMessage `json:"Return"`
		Throw  *struct {
			Error string `json:"Error"`
			Cause string `json:"Cause"`
		} `json:"Throw"`
	} `json:"MockedResponses"`
}

// ParseMockConfig parses a mock configuration and checks that every test
// case names mocked responses that exist and that every response is well
// formed.
func ParseMockConfig(b []byte) (*MockConfig, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var f mockFile
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	c := &MockConfig{machines: map[string]map[string]map[string]string{}, responses: map[string][]mockResponse{}}
	for name, byIndex := range f.MockedResponses {
		var list []mockResponse
		for key, r := range byIndex {
			from, to, err := indexRange(key)
			if err != nil {
				return nil, fmt.Errorf("mock config: mocked response %q: %w", name, err)
			}
			m := mockResponse{from: from, to: to}
			switch {
			case r.Return != nil && r.Throw != nil, r.Return == nil && r.Throw == nil:
				return nil, fmt.Errorf("mock config: mocked response %q, %q: exactly one of Return and Throw is required", name, key)
			case r.Throw != nil:
				m.fail = &engine.Failure{Error: r.Throw.Error, Cause: r.Throw.Cause}
			default:
				m.result = r.Return
			}
			list = append(list, m)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].from < list[j].from })
		for i, m := range list {
			if (i == 0 && m.from != 0) || (i > 0 && m.from != list[i-1].to+1) {
				return nil, fmt.Errorf("mock config: mocked response %q: invocation indexes must run from 0 without gaps or overlaps", name)
			}
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("mock config: mocked response %q has no responses", name)
		}
		c.responses[name] = list
	}
	for machine, sm := range f.StateMachines {
		c.machines[machine] = map[string]map[string]string{}
		for tc, states := range sm.TestCases {
			for state, resp := range states {
				if _, ok := c.responses[resp]; !ok {
					return nil, fmt.Errorf("mock config: test case %q of state machine %q: state %q names the unknown mocked response %q", tc, machine, state, resp)
				}
			}
			c.machines[machine][tc] = states
		}
	}
	return c, nil
}

// indexRange reads a response key: "3" or "1-2".
func indexRange(key string) (int, int, error) {
	a, b, isRange := strings.Cut(key, "-")
	from, err := strconv.Atoi(a)
	if err != nil || from < 0 {
		return 0, 0, fmt.Errorf("key %q is not an invocation index or range", key)
	}
	if !isRange {
		return from, from, nil
	}
	to, err := strconv.Atoi(b)
	if err != nil || to < from {
		return 0, 0, fmt.Errorf("key %q is not an invocation index or range", key)
	}
	return from, to, nil
}

// testCase returns the state → mocked response map of a test case, or nil.
func (c *MockConfig) testCase(machine, tc string) map[string]string {
	return c.machines[machine][tc]
}

// answer returns the n-th invocation's response.
func (c *MockConfig) answer(name string, n int) mockResponse {
	list := c.responses[name]
	for _, m := range list {
		if n >= m.from && n <= m.to {
			return m
		}
	}
	return list[len(list)-1]
}

// mocked answers the mocked states of one execution's test case.
type mocked struct {
	next   engine.Tasks
	cfg    *MockConfig
	states map[string]string // state → mocked response

	mu     sync.Mutex
	counts map[string]int // invocations so far, by state
}

// Invoke answers a mocked state from its response, and passes any other on.
func (m *mocked) Invoke(ctx context.Context, req engine.TaskRequest) (any, error) {
	name, ok := m.states[req.StateName]
	if !ok {
		return m.next.Invoke(ctx, req)
	}
	m.mu.Lock()
	n := m.counts[req.StateName]
	m.counts[req.StateName] = n + 1
	m.mu.Unlock()
	r := m.cfg.answer(name, n)
	if r.fail != nil {
		return nil, engine.NewTaskError(r.fail.Error, r.fail.Cause)
	}
	v, _ := decodeJSON(r.result)
	return v, nil
}
