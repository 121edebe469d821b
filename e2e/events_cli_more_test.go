package e2e

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCLIEventsBusesRulesTargetsTags covers, through the AWS CLI, the bus,
// rule, target and tag operations the other CLI tests do not.
func TestCLIEventsBusesRulesTargetsTags(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	bus, _ := c.events(0, "create-event-bus", "--name", "cli-bus", "--tags", "Key=team,Value=a")
	busArn := bus["EventBusArn"].(string)
	require.Equal(t, "arn:aws:events:us-east-1:"+account+":event-bus/cli-bus", busArn)
	buses, _ := c.events(0, "list-event-buses", "--name-prefix", "cli-")
	require.Len(t, buses["EventBuses"], 1)

	rule, _ := c.events(0, "put-rule", "--name", "r1", "--event-bus-name", "cli-bus", "--event-pattern", `{"source":["x"]}`, "--state", "DISABLED")
	ruleArn := rule["RuleArn"].(string)
	c.events(0, "enable-rule", "--name", "r1", "--event-bus-name", "cli-bus")
	rules, _ := c.events(0, "list-rules", "--event-bus-name", "cli-bus")
	require.Equal(t, "ENABLED", rules["Rules"].([]any)[0].(map[string]any)["State"])
	c.events(0, "disable-rule", "--name", "r1", "--event-bus-name", "cli-bus")

	target := "arn:aws:sqs:us-east-1:" + account + ":cli-bus-q"
	c.events(0, "put-targets", "--rule", "r1", "--event-bus-name", "cli-bus", "--targets", "Id=t1,Arn="+target)
	targets, _ := c.events(0, "list-targets-by-rule", "--rule", "r1", "--event-bus-name", "cli-bus")
	require.Len(t, targets["Targets"], 1)
	names, _ := c.events(0, "list-rule-names-by-target", "--target-arn", target, "--event-bus-name", "cli-bus")
	require.Equal(t, []any{"r1"}, names["RuleNames"])
	c.events(0, "remove-targets", "--rule", "r1", "--event-bus-name", "cli-bus", "--ids", "t1")

	c.events(0, "tag-resource", "--resource-arn", ruleArn, "--tags", "Key=a,Value=1", "Key=b,Value=2")
	c.events(0, "untag-resource", "--resource-arn", ruleArn, "--tag-keys", "a")
	tags, _ := c.events(0, "list-tags-for-resource", "--resource-arn", ruleArn)
	require.Equal(t, []any{map[string]any{"Key": "b", "Value": "2"}}, tags["Tags"])

	c.events(0, "delete-rule", "--name", "r1", "--event-bus-name", "cli-bus")
	_, stderr := c.events(254, "describe-rule", "--name", "r1", "--event-bus-name", "cli-bus")
	require.Contains(t, stderr, "An error occurred (ResourceNotFoundException) when calling the DescribeRule operation: Rule r1 does not exist on EventBus cli-bus.")
	c.events(0, "delete-event-bus", "--name", "cli-bus")
	_, stderr = c.events(254, "describe-event-bus", "--name", "cli-bus")
	require.Contains(t, stderr, "when calling the DescribeEventBus operation")
}

// TestCLIEventsConnectionsAndAPIDestinations covers connections and API
// destinations through the AWS CLI.
func TestCLIEventsConnectionsAndAPIDestinations(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	conn, _ := c.events(0, "create-connection", "--name", "cli-conn", "--authorization-type", "API_KEY",
		"--auth-parameters", `{"ApiKeyAuthParameters":{"ApiKeyName":"x-api-key","ApiKeyValue":"secret"}}`)
	connArn := conn["ConnectionArn"].(string)
	desc, _ := c.events(0, "describe-connection", "--name", "cli-conn")
	require.Equal(t, "API_KEY", desc["AuthorizationType"])
	require.NotContains(t, fmt.Sprint(desc), "ApiKeyValue", "secrets are never returned")
	list, _ := c.events(0, "list-connections", "--name-prefix", "cli-")
	require.Len(t, list["Connections"], 1)
	c.events(0, "update-connection", "--name", "cli-conn", "--description", "updated")

	dest, _ := c.events(0, "create-api-destination", "--name", "cli-dest", "--connection-arn", connArn,
		"--invocation-endpoint", "http://127.0.0.1:9/hook", "--http-method", "POST", "--invocation-rate-limit-per-second", "5")
	require.NotEmpty(t, dest["ApiDestinationArn"])
	d, _ := c.events(0, "describe-api-destination", "--name", "cli-dest")
	require.Equal(t, "POST", d["HttpMethod"])
	dl, _ := c.events(0, "list-api-destinations", "--name-prefix", "cli-")
	require.Len(t, dl["ApiDestinations"], 1)
	c.events(0, "update-api-destination", "--name", "cli-dest", "--http-method", "PUT")
	d, _ = c.events(0, "describe-api-destination", "--name", "cli-dest")
	require.Equal(t, "PUT", d["HttpMethod"])
	c.events(0, "delete-api-destination", "--name", "cli-dest")

	c.events(0, "deauthorize-connection", "--name", "cli-conn")
	c.events(0, "delete-connection", "--name", "cli-conn")
	_, stderr := c.events(254, "describe-connection", "--name", "cli-conn")
	require.Contains(t, stderr, "when calling the DescribeConnection operation")
}
