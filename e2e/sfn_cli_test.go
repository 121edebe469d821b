package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// stepfunctions runs one `aws stepfunctions` command (AWS JSON 1.0)
// against the CLI harness's fogbank and decodes its output.
func (c *cliEnv) stepfunctions(wantExit int, args ...string) (map[string]any, string) {
	c.t.Helper()
	return c.stepfunctionsEnv(nil, wantExit, args...)
}

func (c *cliEnv) stepfunctionsEnv(env []string, wantExit int, args ...string) (map[string]any, string) {
	c.t.Helper()
	return c.cli("stepfunctions", env, wantExit, args...)
}

func TestCLIStepFunctions(t *testing.T) {
	t.Parallel()
	c := setupCLI(t, "--sfn-time-scale", "0.01")
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"Next":"W"},"W":{"Type":"Wait","Seconds":5,"End":true}}}`
	out, _ := c.stepfunctions(0, "create-state-machine", "--name", "cli-sm", "--definition", def, "--role-arn", sfnRole)
	sm, _ := out["stateMachineArn"].(string)
	require.Equal(t, "arn:aws:states:us-east-1:"+account+":stateMachine:cli-sm", sm)
	require.Regexp(t, `^20\d\d-`, out["creationDate"])

	out, _ = c.stepfunctions(0, "start-execution", "--state-machine-arn", sm, "--name", "cli-run", "--input", `{"a":1}`)
	x, _ := out["executionArn"].(string)
	require.Equal(t, "arn:aws:states:us-east-1:"+account+":execution:cli-sm:cli-run", x)

	require.Eventually(t, func() bool {
		d, _ := c.stepfunctions(0, "describe-execution", "--execution-arn", x)
		return d["status"] == "SUCCEEDED"
	}, 20*time.Second, 50*time.Millisecond)
	d, _ := c.stepfunctions(0, "describe-execution", "--execution-arn", x)
	require.JSONEq(t, `{"ok":true}`, d["output"].(string))
	require.Equal(t, "cli-run", d["name"])

	h, _ := c.stepfunctions(0, "get-execution-history", "--execution-arn", x)
	events, _ := h["events"].([]any)
	require.Len(t, events, 6)
	first, _ := events[0].(map[string]any)
	require.Equal(t, "ExecutionStarted", first["type"])
	require.InDelta(t, 1, first["id"], 0)

	_, stderr := c.stepfunctions(254, "describe-execution", "--execution-arn", x+"-missing")
	require.Contains(t, stderr, "ExecutionDoesNotExist")
	_, stderr = c.stepfunctions(254, "create-state-machine", "--name", "bad", "--definition", `{"StartAt":"X","States":{}}`, "--role-arn", sfnRole)
	require.Contains(t, stderr, "InvalidDefinition")

	out, _ = c.stepfunctions(0, "create-state-machine", "--name", "cli-express", "--type", "EXPRESS", "--role-arn", sfnRole,
		"--definition", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	express, _ := out["stateMachineArn"].(string)
	// The CLI sends StartSyncExecution to sync-<endpoint host>, which for
	// an IP endpoint does not resolve: fogbank as the HTTP proxy takes the
	// request without resolving the name.
	_, stderr = c.stepfunctions(255, "start-sync-execution", "--state-machine-arn", express)
	require.Contains(t, stderr, "sync-127.0.0.1")
	out, _ = c.stepfunctionsEnv([]string{"HTTP_PROXY=" + c.endpoint, "http_proxy=" + c.endpoint, "NO_PROXY=", "no_proxy="}, 0,
		"start-sync-execution", "--state-machine-arn", express, "--input", `{"b":2}`)
	require.Equal(t, "SUCCEEDED", out["status"])
	require.JSONEq(t, `{"b":2}`, out["output"].(string))
}
