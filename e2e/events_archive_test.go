package e2e

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

func TestEventsArchiveAndReplayWindow(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	bus, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	require.NoError(t, err)
	arc, err := e.eb.CreateArchive(e.ctx, &eventbridge.CreateArchiveInput{
		ArchiveName: aws.String("all-orders"), EventSourceArn: bus.EventBusArn,
		EventPattern: aws.String(`{"source":["shop"]}`), RetentionDays: aws.Int32(7),
	})
	require.NoError(t, err)
	require.Equal(t, ebtypes.ArchiveStateEnabled, arc.State)
	_, err = e.eb.CreateArchive(e.ctx, &eventbridge.CreateArchiveInput{ArchiveName: aws.String("all-orders"), EventSourceArn: bus.EventBusArn})
	requireEBError(t, err, "ResourceAlreadyExistsException", "Archive all-orders already exists.")

	// 1,100 events one second apart, put before any rule exists: every
	// eleventh has a source the archive's pattern skips, so exactly 1,000
	// are archived.
	const total = 1100
	skipped := func(k int) bool { return k%11 == 0 }
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < total; i += 10 {
		var entries []ebtypes.PutEventsRequestEntry
		for k := i; k < i+10; k++ {
			en := entry("shop", "order", fmt.Sprintf(`{"n":%d}`, k))
			en.EventBusName, en.Time = aws.String("orders"), aws.Time(base.Add(time.Duration(k)*time.Second))
			if skipped(k) {
				en.Source = aws.String("elsewhere")
			}
			entries = append(entries, en)
		}
		out := e.put(entries...)
		require.Zero(t, out.FailedEntryCount)
	}
	desc, err := e.eb.DescribeArchive(e.ctx, &eventbridge.DescribeArchiveInput{ArchiveName: aws.String("all-orders")})
	require.NoError(t, err)
	require.Equal(t, int64(1000), desc.EventCount)
	require.Equal(t, int32(7), *desc.RetentionDays)

	urlA, arnA := e.queue("replayed-a", nil)
	urlB, arnB := e.queue("replayed-b", nil)
	ruleA := e.rule("orders", "a", `{"source":["shop"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &arnA})
	e.rule("orders", "b", `{"source":["shop"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &arnB})

	start, end := base.Add(200*time.Second), base.Add(300*time.Second)
	rp, err := e.eb.StartReplay(e.ctx, &eventbridge.StartReplayInput{
		ReplayName: aws.String("window"), EventSourceArn: arc.ArchiveArn,
		EventStartTime: &start, EventEndTime: &end, Destination: &ebtypes.ReplayDestination{Arn: bus.EventBusArn, FilterArns: []string{ruleA}},
	})
	require.NoError(t, err)
	require.Equal(t, ebtypes.ReplayStateStarting, rp.State)

	got := map[int]bool{}
	// [200 s, 300 s) holds 100 events, 9 of them skipped by the archive.
	for _, m := range e.drain(urlA, 91) {
		ev := decodeBody(t, m)
		require.Equal(t, "window", ev["replay-name"])
		n := int(ev["detail"].(map[string]any)["n"].(float64))
		require.False(t, got[n], "duplicate %d", n)
		got[n] = true
		require.GreaterOrEqual(t, n, 200)
		require.Less(t, n, 300)
		require.False(t, skipped(n), strconv.Itoa(n))
	}
	e.empty(urlB)
	e.empty(urlA)

	require.Eventually(t, func() bool {
		d, err := e.eb.DescribeReplay(e.ctx, &eventbridge.DescribeReplayInput{ReplayName: aws.String("window")})
		require.NoError(t, err)
		return d.State == ebtypes.ReplayStateCompleted && d.EventLastReplayedTime.Equal(base.Add(299*time.Second))
	}, 5*time.Second, 10*time.Millisecond)
	_, err = e.eb.CancelReplay(e.ctx, &eventbridge.CancelReplayInput{ReplayName: aws.String("window")})
	requireEBError(t, err, "IllegalStatusException", "Replay window is not in a valid state for this operation.")
	list, err := e.eb.ListReplays(e.ctx, &eventbridge.ListReplaysInput{})
	require.NoError(t, err)
	require.Len(t, list.Replays, 1)
	archives, err := e.eb.ListArchives(e.ctx, &eventbridge.ListArchivesInput{EventSourceArn: bus.EventBusArn})
	require.NoError(t, err)
	require.Len(t, archives.Archives, 1)

	_, err = e.eb.StartReplay(e.ctx, &eventbridge.StartReplayInput{
		ReplayName: aws.String("backwards"), EventSourceArn: arc.ArchiveArn,
		EventStartTime: &end, EventEndTime: &start, Destination: &ebtypes.ReplayDestination{Arn: bus.EventBusArn},
	})
	requireEBError(t, err, "ValidationException", "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.")
	_, err = e.eb.UpdateArchive(e.ctx, &eventbridge.UpdateArchiveInput{ArchiveName: aws.String("all-orders"), RetentionDays: aws.Int32(1)})
	require.NoError(t, err)
	_, err = e.eb.DeleteArchive(e.ctx, &eventbridge.DeleteArchiveInput{ArchiveName: aws.String("all-orders")})
	require.NoError(t, err)
	_, err = e.eb.DescribeArchive(e.ctx, &eventbridge.DescribeArchiveInput{ArchiveName: aws.String("all-orders")})
	requireEBError(t, err, "ResourceNotFoundException", "Archive all-orders does not exist.")
}

// drain receives and deletes n messages, however many calls it takes.
func (e ebEnv) drain(url string, n int) []types.Message {
	e.t.Helper()
	var got []types.Message
	deadline := time.Now().Add(10 * time.Second)
	for len(got) < n && time.Now().Before(deadline) {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		require.NoError(e.t, err)
		for _, m := range out.Messages {
			got = append(got, m)
			_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
			require.NoError(e.t, err)
		}
	}
	require.Len(e.t, got, n)
	return got
}
