package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

const passMachine = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

func TestSFNStateMachineLifecycle(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("orders", passMachine, "")
	require.Equal(t, "arn:aws:states:us-east-1:000000000000:stateMachine:orders", sm)

	d, err := e.c.DescribeStateMachine(e.ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Equal(t, "orders", *d.Name)
	require.Equal(t, passMachine, *d.Definition)
	require.Equal(t, sfntypes.StateMachineTypeStandard, d.Type)
	require.Equal(t, sfntypes.StateMachineStatusActive, d.Status)
	require.Equal(t, sfntypes.LogLevelOff, d.LoggingConfiguration.Level)
	rev := *d.RevisionId

	// Creating it again with the same definition is idempotent; a
	// different one is StateMachineAlreadyExists.
	again := e.machine("orders", passMachine, "")
	require.Equal(t, sm, again)
	_, err = e.c.CreateStateMachine(e.ctx, &sfn.CreateStateMachineInput{Name: aws.String("orders"), Definition: aws.String(waitMachine), RoleArn: aws.String(sfnRole)})
	requireSFNError(t, err, "StateMachineAlreadyExists", "State Machine Already Exists: '"+sm+"'")

	up, err := e.c.UpdateStateMachine(e.ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm), Definition: aws.String(waitMachine)})
	require.NoError(t, err)
	require.NotEqual(t, rev, *up.RevisionId)
	d, err = e.c.DescribeStateMachine(e.ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Equal(t, waitMachine, *d.Definition)
	_, err = e.c.UpdateStateMachine(e.ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm)})
	requireSFNError(t, err, "MissingRequiredParameter", "")

	e.machine("another", passMachine, sfntypes.StateMachineTypeExpress)
	list, err := e.c.ListStateMachines(e.ctx, &sfn.ListStateMachinesInput{MaxResults: 1})
	require.NoError(t, err)
	require.Len(t, list.StateMachines, 1)
	require.NotNil(t, list.NextToken)
	list2, err := e.c.ListStateMachines(e.ctx, &sfn.ListStateMachinesInput{MaxResults: 1, NextToken: list.NextToken})
	require.NoError(t, err)
	require.Len(t, list2.StateMachines, 1)
	require.Nil(t, list2.NextToken)
	require.ElementsMatch(t, []string{"orders", "another"}, []string{*list.StateMachines[0].Name, *list2.StateMachines[0].Name})

	_, err = e.c.DeleteStateMachine(e.ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	_, err = e.c.DescribeStateMachine(e.ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	requireSFNError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+"'")
}

func TestSFNCreateStateMachineValidation(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	create := func(in *sfn.CreateStateMachineInput) error {
		if in.RoleArn == nil {
			in.RoleArn = aws.String(sfnRole)
		}
		if in.Definition == nil {
			in.Definition = aws.String(passMachine)
		}
		_, err := e.c.CreateStateMachine(e.ctx, in)
		return err
	}
	requireSFNError(t, create(&sfn.CreateStateMachineInput{Name: aws.String("bad name")}), "InvalidName", "Invalid Name: 'bad name'")
	requireSFNError(t, create(&sfn.CreateStateMachineInput{Name: aws.String("x"), Definition: aws.String(`{"StartAt":"Nope","States":{"P":{"Type":"Pass","End":true}}}`)}),
		"InvalidDefinition", "")
	requireSFNError(t, create(&sfn.CreateStateMachineInput{Name: aws.String("x"), Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"nope","End":true}}}`)}),
		"InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/W/Timestamp'")
	requireSFNError(t, create(&sfn.CreateStateMachineInput{Name: aws.String("x"), LoggingConfiguration: &sfntypes.LoggingConfiguration{Level: sfntypes.LogLevelAll}}),
		"InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination.")
	requireSFNError(t, create(&sfn.CreateStateMachineInput{Name: aws.String("x"), VersionDescription: aws.String("HelloWorld!")}),
		"ValidationException", "Version description can only be set when publish is true")
	requireSFNError(t, create(&sfn.CreateStateMachineInput{Name: aws.String("x"), RoleArn: aws.String("role")}), "InvalidArn", "Invalid Arn: 'role'")
	_, err := e.c.DescribeStateMachine(e.ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:000000000000:execution:a:b")})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'")

	v, err := e.c.ValidateStateMachineDefinition(e.ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(`{"StartAt":"Nope","States":{"P":{"Type":"Pass","End":true}}}`)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ValidateStateMachineDefinitionResultCodeFail, v.Result)
	require.NotEmpty(t, v.Diagnostics)
	v, err = e.c.ValidateStateMachineDefinition(e.ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(passMachine)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ValidateStateMachineDefinitionResultCodeOk, v.Result)
}

func TestSFNVersionsAndAliases(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	out, err := e.c.CreateStateMachine(e.ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("versioned"), Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v1","End":true}}}`),
		RoleArn: aws.String(sfnRole), Publish: true, VersionDescription: aws.String("first"),
	})
	require.NoError(t, err)
	sm := *out.StateMachineArn
	v1 := *out.StateMachineVersionArn
	require.Equal(t, sm+":1", v1)

	up, err := e.c.UpdateStateMachine(e.ctx, &sfn.UpdateStateMachineInput{
		StateMachineArn: aws.String(sm), Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v2","End":true}}}`),
	})
	require.NoError(t, err)
	_, err = e.c.PublishStateMachineVersion(e.ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(sm), RevisionId: aws.String("stale")})
	requireSFNError(t, err, "ConflictException", "")
	pub, err := e.c.PublishStateMachineVersion(e.ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(sm), RevisionId: up.RevisionId})
	require.NoError(t, err)
	v2 := *pub.StateMachineVersionArn
	require.Equal(t, sm+":2", v2)

	vs, err := e.c.ListStateMachineVersions(e.ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Len(t, vs.StateMachineVersions, 2)

	d, err := e.c.DescribeStateMachine(e.ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(v1)})
	require.NoError(t, err)
	require.Contains(t, *d.Definition, `"v1"`)
	require.Equal(t, "first", *d.Description)

	// An execution of version 1 runs version 1's definition.
	x := e.start(v1, "", `{}`)
	res := e.await(x)
	require.JSONEq(t, `"v1"`, *res.Output)
	require.Equal(t, v1, *res.StateMachineVersionArn)

	al, err := e.c.CreateStateMachineAlias(e.ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("live"), RoutingConfiguration: []sfntypes.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v2), Weight: 100}},
	})
	require.NoError(t, err)
	require.Equal(t, sm+":live", *al.StateMachineAliasArn)
	res = e.await(e.start(*al.StateMachineAliasArn, "", `{}`))
	require.JSONEq(t, `"v2"`, *res.Output)
	require.Equal(t, *al.StateMachineAliasArn, *res.StateMachineAliasArn)

	_, err = e.c.CreateStateMachineAlias(e.ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("split"), RoutingConfiguration: []sfntypes.RoutingConfigurationListItem{
			{StateMachineVersionArn: aws.String(v1), Weight: 50}, {StateMachineVersionArn: aws.String(v2), Weight: 40},
		},
	})
	requireSFNError(t, err, "ValidationException", "Sum of routing configuration weights must be equal to 100. Received: 90")

	_, err = e.c.UpdateStateMachineAlias(e.ctx, &sfn.UpdateStateMachineAliasInput{
		StateMachineAliasArn: al.StateMachineAliasArn, Description: aws.String("now v1"),
		RoutingConfiguration: []sfntypes.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v1), Weight: 100}},
	})
	require.NoError(t, err)
	da, err := e.c.DescribeStateMachineAlias(e.ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	require.NoError(t, err)
	require.Equal(t, "now v1", *da.Description)
	require.Equal(t, v1, *da.RoutingConfiguration[0].StateMachineVersionArn)

	_, err = e.c.DeleteStateMachineVersion(e.ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(v1)})
	requireSFNError(t, err, "ConflictException", "")
	aliases, err := e.c.ListStateMachineAliases(e.ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Len(t, aliases.StateMachineAliases, 1)
	_, err = e.c.DeleteStateMachineAlias(e.ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	require.NoError(t, err)
	_, err = e.c.DescribeStateMachineAlias(e.ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	requireSFNError(t, err, "ResourceNotFound", "")
	_, err = e.c.DeleteStateMachineVersion(e.ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(v1)})
	require.NoError(t, err)
	_, err = e.c.DescribeStateMachine(e.ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(v1)})
	requireSFNError(t, err, "StateMachineDoesNotExist", "")
}

func TestSFNTags(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("tagged", passMachine, "")
	_, err := e.c.TagResource(e.ctx, &sfn.TagResourceInput{ResourceArn: aws.String(sm), Tags: []sfntypes.Tag{
		{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("env"), Value: aws.String("dev")},
	}})
	require.NoError(t, err)
	_, err = e.c.TagResource(e.ctx, &sfn.TagResourceInput{ResourceArn: aws.String(sm), Tags: []sfntypes.Tag{{Key: aws.String("team"), Value: aws.String("b")}}})
	require.NoError(t, err)
	_, err = e.c.UntagResource(e.ctx, &sfn.UntagResourceInput{ResourceArn: aws.String(sm), TagKeys: []string{"env"}})
	require.NoError(t, err)
	tags, err := e.c.ListTagsForResource(e.ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(sm)})
	require.NoError(t, err)
	require.Len(t, tags.Tags, 1)
	require.Equal(t, "team", *tags.Tags[0].Key)
	require.Equal(t, "b", *tags.Tags[0].Value)

	many := make([]sfntypes.Tag, 0, 51)
	for i := range 51 {
		many = append(many, sfntypes.Tag{Key: aws.String(string(rune('A'+i%26)) + string(rune('a'+i/26))), Value: aws.String("v")})
	}
	_, err = e.c.TagResource(e.ctx, &sfn.TagResourceInput{ResourceArn: aws.String(sm), Tags: many})
	requireSFNError(t, err, "TooManyTags", "")
	_, err = e.c.ListTagsForResource(e.ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(sm + "-gone")})
	requireSFNError(t, err, "ResourceNotFound", "")
}

func TestSFNTestState(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	out, err := e.c.TestState(e.ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, $.b)"},"Next":"After"}`),
		Input:      aws.String(`{"a":1,"b":2}`), InspectionLevel: sfntypes.InspectionLevelDebug, RoleArn: aws.String(sfnRole),
	})
	require.NoError(t, err)
	require.Equal(t, sfntypes.TestExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"sum":3}`, *out.Output)
	require.Equal(t, "After", *out.NextState)
	require.JSONEq(t, `{"a":1,"b":2}`, *out.InspectionData.Input)
	require.JSONEq(t, `{"sum":3}`, *out.InspectionData.AfterParameters)

	out, err = e.c.TestState(e.ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}`),
		Input:      aws.String(`{}`), RoleArn: aws.String(sfnRole),
		Mock: &sfntypes.MockInput{Result: aws.String(`{"Payload":{"ok":1}}`)},
	})
	require.NoError(t, err)
	require.Equal(t, sfntypes.TestExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"Payload":{"ok":1}}`, *out.Output)

	_, err = e.c.TestState(e.ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Nope"}`), RoleArn: aws.String(sfnRole)})
	require.Error(t, err)
}
