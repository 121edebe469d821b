package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/stretchr/testify/require"
)

// events runs one `aws events` command (AWS JSON 1.1) against the CLI
// harness's fogbank and decodes its output.
func (c *cliEnv) events(wantExit int, args ...string) (map[string]any, string) {
	c.t.Helper()
	return c.cli("events", nil, wantExit, args...)
}

func TestCLIEvents(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	out, _ := c.events(0, "put-rule", "--name", "cli-rule", "--event-pattern", `{"source":["cli"]}`)
	require.Equal(t, "arn:aws:events:us-east-1:"+account+":rule/cli-rule", out["RuleArn"])
	out, _ = c.events(0, "put-targets", "--rule", "cli-rule", "--targets", "Id=q,Arn=arn:aws:sqs:us-east-1:"+account+":cli-q")
	require.Equal(t, float64(0), out["FailedEntryCount"])
	out, _ = c.events(0, "put-events", "--entries", `[{"Source":"cli","DetailType":"t","Detail":"{\"a\":1}"}]`)
	require.Equal(t, float64(0), out["FailedEntryCount"])
	out, _ = c.events(0, "test-event-pattern", "--event-pattern", `{"source":["cli"]}`,
		"--event", `{"id":"1","account":"`+account+`","source":"cli","time":"2026-01-01T00:00:00Z","region":"us-east-1","detail-type":"t"}`)
	require.Equal(t, true, out["Result"])
	_, stderr := c.events(254, "describe-rule", "--name", "missing")
	require.Contains(t, stderr, "An error occurred (ResourceNotFoundException) when calling the DescribeRule operation: Rule missing does not exist on EventBus default.")
}

func TestEventsCrossBusTarget(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	dst, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("downstream")})
	require.NoError(t, err)
	url, qarn := e.queue("downstream-q", nil)
	e.rule("downstream", "sink", `{"source":["up"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &qarn})
	e.rule("default", "forward", `{"source":["up"]}`, ebtypes.Target{Id: aws.String("bus"), Arn: dst.EventBusArn})
	out := e.put(entry("up", "t", `{"x":1}`))
	body := decodeBody(t, e.receive(url, 1)[0])
	require.Equal(t, *out.Entries[0].EventId, body["id"])
	require.Equal(t, map[string]any{"x": float64(1)}, body["detail"])
}
