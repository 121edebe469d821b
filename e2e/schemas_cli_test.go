package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// schemas runs one `aws schemas` command (restJson1) against the CLI
// harness's fogbank and decodes its output.
func (c *cliEnv) schemas(wantExit int, args ...string) (map[string]any, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.aws, append([]string{"schemas", "--endpoint-url", c.endpoint, "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY="+c.secret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	_ = cmd.Run()
	require.Equal(c.t, wantExit, cmd.ProcessState.ExitCode(), "aws schemas %v: %s", args, errOut.String())
	var v map[string]any
	if len(bytes.TrimSpace(out.Bytes())) > 0 {
		require.NoError(c.t, json.Unmarshal(out.Bytes(), &v), out.String())
	}
	return v, errOut.String()
}

func TestCLISchemas(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	out, _ := c.schemas(0, "create-registry", "--registry-name", "cli", "--description", "from the CLI")
	require.Equal(t, "arn:aws:schemas:us-east-1:"+account+":registry/cli", out["RegistryArn"])
	_, stderr := c.schemas(254, "create-registry", "--registry-name", "cli")
	require.Contains(t, stderr, "An error occurred (ConflictException) when calling the CreateRegistry operation: Registry with name cli already exists.")

	out, _ = c.schemas(0, "create-schema", "--registry-name", "cli", "--schema-name", "shop@OrderPlaced", "--type", "OpenApi3", "--content", orderOpenAPI)
	require.Equal(t, "1", out["SchemaVersion"])
	_, stderr = c.schemas(254, "create-schema", "--registry-name", "cli", "--schema-name", "bad", "--type", "OpenApi3", "--content", "{")
	require.Contains(t, stderr, "An error occurred (BadRequestException) when calling the CreateSchema operation: Invalid OpenApi3 content: not valid JSON: unexpected EOF")

	out, _ = c.schemas(0, "describe-schema", "--registry-name", "cli", "--schema-name", "shop@OrderPlaced")
	require.Equal(t, orderOpenAPI, out["Content"])
	require.Equal(t, "OpenApi3", out["Type"])
	_, stderr = c.schemas(254, "describe-schema", "--registry-name", "cli", "--schema-name", "missing")
	require.Contains(t, stderr, "An error occurred (NotFoundException) when calling the DescribeSchema operation: Schema with name missing does not exist.")

	out, _ = c.schemas(0, "list-schemas", "--registry-name", "cli")
	list := list(t, out, "Schemas")
	require.Len(t, list, 1)
	require.Equal(t, "shop@OrderPlaced", list[0]["SchemaName"])
	require.Equal(t, float64(1), list[0]["VersionCount"])

	ev := `{"version":"0","id":"1","detail-type":"Order Placed","source":"shop","account":"` + account + `","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"id":"o-1"}}`
	out, _ = c.schemas(0, "get-discovered-schema", "--type", "OpenApi3", "--events", ev)
	content, _ := out["Content"].(string)
	require.Contains(t, content, `"x-amazon-events-detail-type": "Order Placed"`)
	require.Contains(t, content, `"OrderPlaced": {`)
}
