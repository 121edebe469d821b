package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

func TestEventsBusPolicyCrossAccountStrict(t *testing.T) {
	t.Parallel()
	srv := fogbanktest.Start(t, fogbanktest.WithStrictAuth("111111111111:owner-secret,222222222222:sender-secret"))
	ownerCfg := srv.AWSConfigFor("111111111111", "owner-secret", "us-east-1")
	owner := ebEnv{sdkEnv: sdkEnv{t: t, ctx: t.Context(), srv: srv, c: sqs.NewFromConfig(ownerCfg)}, eb: eventbridge.NewFromConfig(ownerCfg)}
	sender := eventbridge.NewFromConfig(srv.AWSConfigFor("222222222222", "sender-secret", "us-east-1"))

	bus, err := owner.eb.CreateEventBus(owner.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shared")})
	require.NoError(t, err)
	url, qarn := owner.queue("shared-in", nil)
	owner.rule("shared", "all", `{"source":["partner"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &qarn})
	send := func() *eventbridge.PutEventsOutput {
		en := entry("partner", "hello", `{"k":1}`)
		en.EventBusName = bus.EventBusArn
		out, err := sender.PutEvents(owner.ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{en}})
		require.NoError(t, err)
		return out
	}

	denied := send()
	require.Equal(t, int32(1), denied.FailedEntryCount)
	require.Equal(t, "AccessDeniedException", *denied.Entries[0].ErrorCode)

	_, err = owner.eb.PutPermission(owner.ctx, &eventbridge.PutPermissionInput{
		EventBusName: aws.String("shared"), Action: aws.String("events:PutEvents"),
		Principal: aws.String("222222222222"), StatementId: aws.String("partner"),
	})
	require.NoError(t, err)
	desc, err := owner.eb.DescribeEventBus(owner.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("shared")})
	require.NoError(t, err)
	require.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Sid":"partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},
		"Action":"events:PutEvents","Resource":"`+*bus.EventBusArn+`"}]}`, *desc.Policy)

	ok := send()
	require.Zero(t, ok.FailedEntryCount)
	ev := decodeBody(t, owner.receive(url, 1)[0])
	require.Equal(t, *ok.Entries[0].EventId, ev["id"])
	require.Equal(t, "222222222222", ev["account"])

	_, err = owner.eb.RemovePermission(owner.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("shared"), StatementId: aws.String("partner")})
	require.NoError(t, err)
	_, err = owner.eb.RemovePermission(owner.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("shared"), StatementId: aws.String("partner")})
	requireEBError(t, err, "ResourceNotFoundException", "Statement with the provided id does not exist.")
	require.Equal(t, int32(1), send().FailedEntryCount)
	desc, err = owner.eb.DescribeEventBus(owner.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("shared")})
	require.NoError(t, err)
	require.Nil(t, desc.Policy)
}
