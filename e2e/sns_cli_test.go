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

// snsCLI runs "aws sns ..." against the harness's fogbank and decodes its
// JSON output; want is the expected exit code.
func snsCLI(c *cliEnv, want int, args ...string) (map[string]any, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.aws, append([]string{"sns", "--endpoint-url", c.endpoint, "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY="+c.secret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	_ = cmd.Run()
	require.Equal(c.t, want, cmd.ProcessState.ExitCode(), "aws sns %v: %s", args, errOut.String())
	var v map[string]any
	if len(bytes.TrimSpace(out.Bytes())) > 0 {
		require.NoError(c.t, json.Unmarshal(out.Bytes(), &v), out.String())
	}
	return v, errOut.String()
}

func TestSNSCLI(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	created, _ := snsCLI(c, 0, "create-topic", "--name", "cli-topic", "--attributes", "DisplayName=cli", "--tags", "Key=team,Value=a")
	arn := created["TopicArn"].(string)
	require.Equal(t, "arn:aws:sns:us-east-1:"+account+":cli-topic", arn)
	attrs, _ := snsCLI(c, 0, "get-topic-attributes", "--topic-arn", arn)
	require.Equal(t, "cli", attrs["Attributes"].(map[string]any)["DisplayName"])
	tags, _ := snsCLI(c, 0, "list-tags-for-resource", "--resource-arn", arn)
	require.Equal(t, []any{map[string]any{"Key": "team", "Value": "a"}}, tags["Tags"])
	pub, _ := snsCLI(c, 0, "publish", "--topic-arn", arn, "--message", "hi", "--message-attributes", `{"n":{"DataType":"Number","StringValue":"1"}}`)
	require.NotEmpty(t, pub["MessageId"])
	_, stderr := snsCLI(c, 254, "get-topic-attributes", "--topic-arn", arn+"-missing")
	require.Contains(t, stderr, "An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist")
}
