package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/stretchr/testify/require"
)

func TestEventsContentRoutingToQueues(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	urls := map[string]string{}
	for _, color := range []string{"red", "green", "blue"} {
		url, arn := e.queue("route-"+color, nil)
		urls[color] = url
		e.rule("default", "rule-"+color, `{"source":["shop"],"detail":{"color":["`+color+`"]}}`, ebtypes.Target{Id: aws.String("q"), Arn: &arn})
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 800_000_000, time.UTC)
	red := entry("shop", "order", `{"color": "red", "n": 1}`)
	red.Time, red.Resources, red.TraceHeader = &at, []string{"arn:aws:s3:::b"}, aws.String("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
	out := e.put(red, entry("shop", "order", `{"color":"green"}`), entry("shop", "order", `{"color":"blue"}`), entry("other", "order", `{"color":"red"}`))
	require.Zero(t, out.FailedEntryCount)
	require.Len(t, out.Entries, 4)

	msgs := e.receive(urls["red"], 1)
	body := decodeBody(t, msgs[0])
	require.Equal(t, map[string]any{
		"version": "0", "id": *out.Entries[0].EventId, "detail-type": "order", "source": "shop", "account": account,
		"time": "2026-03-04T05:06:07Z", "region": "us-east-1", "resources": []any{"arn:aws:s3:::b"},
		"detail": map[string]any{"color": "red", "n": float64(1)},
	}, body)
	require.Regexp(t, `^\{"version":"0","id":"[^"]+","detail-type":"order","source":"shop","account":"000000000000","time":"2026-03-04T05:06:07Z","region":"us-east-1","resources":\["arn:aws:s3:::b"\],"detail":\{"color":"red","n":1\}\}$`, *msgs[0].Body)
	require.Equal(t, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", msgs[0].Attributes["AWSTraceHeader"])
	require.Equal(t, *out.Entries[1].EventId, decodeBody(t, e.receive(urls["green"], 1)[0])["id"])
	require.Equal(t, *out.Entries[2].EventId, decodeBody(t, e.receive(urls["blue"], 1)[0])["id"])

	// A disabled rule routes nothing; enabled again, it does.
	_, err := e.eb.DisableRule(e.ctx, &eventbridge.DisableRuleInput{Name: aws.String("rule-red")})
	require.NoError(t, err)
	e.put(entry("shop", "order", `{"color":"red"}`))
	e.empty(urls["red"])
	_, err = e.eb.EnableRule(e.ctx, &eventbridge.EnableRuleInput{Name: aws.String("rule-red")})
	require.NoError(t, err)
	e.put(entry("shop", "order", `{"color":"red"}`))
	e.receive(urls["red"], 1)
}

func TestEventsRuleAndTargetOperations(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	_, qarn := e.queue("ops", nil)
	arn := e.rule("default", "ops-rule", `{"source":["a"]}`, ebtypes.Target{Id: aws.String("t1"), Arn: &qarn})
	require.Equal(t, "arn:aws:events:us-east-1:"+account+":rule/ops-rule", arn)

	d, err := e.eb.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("ops-rule")})
	require.NoError(t, err)
	require.Equal(t, ebtypes.RuleStateEnabled, d.State)
	require.Equal(t, "default", *d.EventBusName)
	require.Equal(t, `{"source":["a"]}`, *d.EventPattern)

	_, err = e.eb.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nope")})
	requireEBError(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	_, err = e.eb.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("bad"), EventPattern: aws.String(`{"source":"a"}`)})
	requireEBError(t, err, "InvalidEventPatternException", "Event pattern is not valid. Reason: \"source\" must be an object or an array")

	rules, err := e.eb.ListRules(e.ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String("ops")})
	require.NoError(t, err)
	require.Len(t, rules.Rules, 1)
	names, err := e.eb.ListRuleNamesByTarget(e.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: &qarn})
	require.NoError(t, err)
	require.Equal(t, []string{"ops-rule"}, names.RuleNames)

	// At most five targets per rule.
	var five []ebtypes.Target
	for _, id := range []string{"t2", "t3", "t4", "t5", "t6"} {
		five = append(five, ebtypes.Target{Id: aws.String(id), Arn: &qarn})
	}
	_, err = e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("ops-rule"), Targets: five})
	requireEBError(t, err, "LimitExceededException", "The requested resource exceeds the maximum number allowed.")
	_, err = e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("ops-rule"), Targets: []ebtypes.Target{{Id: aws.String("!@#"), Arn: &qarn}}})
	requireEBError(t, err, "ValidationException", "1 validation error detected: Value '!@#' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")

	targets, err := e.eb.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("ops-rule")})
	require.NoError(t, err)
	require.Len(t, targets.Targets, 1)
	require.Equal(t, qarn, *targets.Targets[0].Arn)

	_, err = e.eb.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("ops-rule")})
	requireEBError(t, err, "ValidationException", "Rule can't be deleted since it has targets.")
	rm, err := e.eb.RemoveTargets(e.ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("ops-rule"), Ids: []string{"t1"}})
	require.NoError(t, err)
	require.Zero(t, rm.FailedEntryCount)

	_, err = e.eb.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: &arn, Tags: []ebtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	require.NoError(t, err)
	tags, err := e.eb.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: &arn})
	require.NoError(t, err)
	require.Equal(t, []ebtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}, tags.Tags)
	_, err = e.eb.UntagResource(e.ctx, &eventbridge.UntagResourceInput{ResourceARN: &arn, TagKeys: []string{"team"}})
	require.NoError(t, err)

	_, err = e.eb.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("ops-rule")})
	require.NoError(t, err)
	_, err = e.eb.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("ops-rule")})
	requireEBError(t, err, "ResourceNotFoundException", "Rule ops-rule does not exist on EventBus default.")
}

func TestEventsBusOperations(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	c, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders"), Description: aws.String("d1")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:events:us-east-1:"+account+":event-bus/orders", *c.EventBusArn)
	_, err = e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	requireEBError(t, err, "ResourceAlreadyExistsException", "Event bus orders already exists.")

	d, err := e.eb.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: c.EventBusArn})
	require.NoError(t, err)
	require.Equal(t, "orders", *d.Name)
	require.Equal(t, "d1", *d.Description)
	require.False(t, d.CreationTime.IsZero())
	_, err = e.eb.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("orders"), Description: aws.String("d2")})
	require.NoError(t, err)

	list, err := e.eb.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{})
	require.NoError(t, err)
	require.Len(t, list.EventBuses, 2)
	require.Equal(t, "default", *list.EventBuses[0].Name)
	require.Equal(t, "d2", *list.EventBuses[1].Description)

	// A rule on the custom bus gets the bus in its ARN; events reach it only
	// through that bus.
	url, qarn := e.queue("bus-q", nil)
	arn := e.rule("orders", "r", `{"source":["s"]}`, ebtypes.Target{Id: aws.String("t"), Arn: &qarn})
	require.Equal(t, "arn:aws:events:us-east-1:"+account+":rule/orders/r", arn)
	ev := entry("s", "t", `{}`)
	e.put(ev)
	e.empty(url)
	ev.EventBusName = c.EventBusArn
	e.put(ev)
	e.receive(url, 1)

	_, err = e.eb.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("default")})
	requireEBError(t, err, "ValidationException", "Cannot delete event bus default.")
	_, err = e.eb.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("orders")})
	require.NoError(t, err)
	_, err = e.eb.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")})
	requireEBError(t, err, "ResourceNotFoundException", "Event bus orders does not exist.")
	_, err = e.eb.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("x"), EventBusName: aws.String("orders"), EventPattern: aws.String(`{"source":["s"]}`)})
	requireEBError(t, err, "ResourceNotFoundException", "Event bus orders does not exist.")
}
