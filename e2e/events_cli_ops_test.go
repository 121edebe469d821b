package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCLIEventsArchivesReplaysPermissionsSchedules(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	busArn := "arn:aws:events:us-east-1:" + account + ":event-bus/default"
	out, _ := c.events(0, "put-rule", "--name", "tick", "--schedule-expression", "cron(0/5 * ? * MON-FRI *)")
	require.Equal(t, "arn:aws:events:us-east-1:"+account+":rule/tick", out["RuleArn"])
	_, stderr := c.events(254, "put-rule", "--name", "bad", "--schedule-expression", "cron(0 0 * * * *)")
	require.Contains(t, stderr, "Parameter ScheduleExpression is not valid.")

	out, _ = c.events(0, "create-archive", "--archive-name", "cli-archive", "--event-source-arn", busArn, "--retention-days", "3")
	require.Equal(t, "ENABLED", out["State"])
	out, _ = c.events(0, "put-events", "--entries", `[{"Source":"cli","DetailType":"t","Detail":"{}","Time":"2026-01-01T00:00:10Z"}]`)
	require.Equal(t, float64(0), out["FailedEntryCount"])
	out, _ = c.events(0, "describe-archive", "--archive-name", "cli-archive")
	require.Equal(t, float64(1), out["EventCount"])
	out, _ = c.events(0, "update-archive", "--archive-name", "cli-archive", "--description", "d")
	require.Equal(t, "ENABLED", out["State"])
	out, _ = c.events(0, "list-archives")
	require.Len(t, out["Archives"], 1)

	archiveArn := "arn:aws:events:us-east-1:" + account + ":archive/cli-archive"
	replay := []string{
		"start-replay", "--replay-name", "cli-replay", "--event-source-arn", archiveArn,
		"--event-start-time", "2026-01-01T00:00:00Z", "--event-end-time", "2026-01-01T00:01:00Z", "--destination", "Arn=" + busArn,
	}
	out, _ = c.events(0, replay...)
	require.Equal(t, "STARTING", out["State"])
	_, stderr = c.events(254, replay...)
	require.Contains(t, stderr, "Replay cli-replay already exists.")
	out, _ = c.events(0, "describe-replay", "--replay-name", "cli-replay")
	require.Equal(t, "cli-replay", out["ReplayName"])
	out, _ = c.events(0, "list-replays")
	require.Len(t, out["Replays"], 1)
	_, stderr = c.events(254, "cancel-replay", "--replay-name", "nope")
	require.Contains(t, stderr, "Replay nope does not exist.")
	c.events(0, "delete-archive", "--archive-name", "cli-archive")

	c.events(0, "put-permission", "--action", "events:PutEvents", "--principal", "111122223333", "--statement-id", "cli")
	out, _ = c.events(0, "describe-event-bus")
	require.Contains(t, out["Policy"], `"Sid":"cli"`)
	c.events(0, "remove-permission", "--statement-id", "cli")
	out, _ = c.events(0, "describe-event-bus")
	require.NotContains(t, out, "Policy")
}
