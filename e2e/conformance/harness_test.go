package conformance

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// Account and region fogbank serves by default in fogbanktest.
const (
	account = "000000000000"
	region  = "us-east-1"
	// accessKey signs every request; it is not a 12-digit account id.
	accessKey = "AKIAFOGBANKCONFORM01"
)

type protocol int

const (
	protoJSON protocol = iota
	protoQuery
)

// sqsCase is one recorded case: its pytest node id after "::", the client
// the parametrised aws_sqs_client stands for, and the scenario.
type sqsCase struct {
	id    string
	proto protocol
	run   func(e *env)
	skip  string
}

// both registers the [sqs] and [sqs_query] variants of a test.
func both(name string, run func(e *env)) []sqsCase {
	return []sqsCase{{id: name + "[sqs]", proto: protoJSON, run: run}, {id: name + "[sqs_query]", proto: protoQuery, run: run}}
}

func one(id string, run func(e *env)) sqsCase { return sqsCase{id: id, proto: protoJSON, run: run} }

// gap marks cases fogbank does not pass yet.
func gap(reason string, cs ...sqsCase) []sqsCase {
	for i := range cs {
		cs[i].skip = "fogbank gap: " + reason
	}
	return cs
}

// env is what a scenario needs: the parametrised client (aws_sqs_client),
// the JSON client (aws_client.sqs), and the snapshot.
type env struct {
	t    *testing.T
	srv  *fogbanktest.Server
	c    caller
	js   *jsonClient
	snap *snapshot
}

func runCases(t *testing.T, file string, cases []sqsCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		require.False(t, seen[tc.id], "duplicate case %s", tc.id)
		seen[tc.id] = true
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			want := recorded(t, "sqs", file, tc.id)
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			e := newEnv(t, tc.proto)
			tc.run(e)
			if !t.Failed() {
				e.snap.verify(t, want)
			}
		})
	}
}

func newEnv(t *testing.T, p protocol) *env {
	srv := fogbanktest.Start(t)
	// An IAM-style key id keeps SenderId distinct from other values, as on AWS.
	e := &env{t: t, srv: srv, js: newJSONClient(srv.AWSConfigFor(accessKey, "secret", region)), snap: newSnapshot(account, region, sqsAPI)}
	e.c = e.js
	if p == protoQuery {
		e.c = newQueryClient(srv.URL, accessKey, "secret", region)
	}
	return e
}

// call sends op and returns botocore's response dict (success or error).
func (e *env) call(c caller, op string, params M) M {
	e.t.Helper()
	r, err := c.call(e.t.Context(), op, params)
	require.NoError(e.t, err, op)
	return r
}

// ok sends op and requires success.
func (e *env) ok(c caller, op string, params M) M {
	e.t.Helper()
	r := e.call(c, op, params)
	require.NotContains(e.t, r, "Error", "%s: %v", op, r["Error"])
	return r
}

// fail sends op and requires an error response.
func (e *env) fail(c caller, op string, params M) M {
	e.t.Helper()
	r := e.call(c, op, params)
	require.Contains(e.t, r, "Error", "%s succeeded: %v", op, r)
	return r
}

func (e *env) match(key string, v any) { e.snap.match(key, v) }

// createQueue is LocalStack's sqs_create_queue fixture (always JSON).
func (e *env) createQueue(params M) string {
	e.t.Helper()
	if params == nil {
		params = M{}
	}
	if _, ok := params["QueueName"]; !ok {
		params["QueueName"] = "test-queue-" + shortUID()
	}
	r := e.ok(e.js, "CreateQueue", params)
	return r["QueueUrl"].(string)
}

func (e *env) queueArn(url string) string {
	e.t.Helper()
	r := e.ok(e.js, "GetQueueAttributes", M{"QueueUrl": url, "AttributeNames": []string{"QueueArn"}})
	return r["Attributes"].(M)["QueueArn"].(string)
}

func messages(r M) []M {
	l, _ := r["Messages"].([]any)
	out := make([]M, 0, len(l))
	for _, m := range l {
		out = append(out, m.(M))
	}
	return out
}

func (e *env) receipt(r M, i int) string {
	e.t.Helper()
	ms := messages(r)
	require.Greater(e.t, len(ms), i, "no message %d in %v", i, r)
	return ms[i]["ReceiptHandle"].(string)
}

func shortUID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
