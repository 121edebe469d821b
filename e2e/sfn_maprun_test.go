package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

const distributedMap = `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"items","MaxConcurrency":5,
  "ToleratedFailureCount":1,
  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
    "StartAt":"Check","States":{
      "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":3,"Next":"Bad"}],"Default":"Good"},
      "Good":{"Type":"Pass","End":true},
      "Bad":{"Type":"Fail","Error":"Three"}}},
  "End":true}}}`

func TestSFNMapRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupSFN(t, fogbanktest.WithDataDir(dir))
	sm := e.machine("mapper", distributedMap, "")
	x := e.start(sm, "m1", `[1,2,3,4]`)
	d := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)

	runs, err := e.c.ListMapRuns(e.ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Len(t, runs.MapRuns, 1)
	run := runs.MapRuns[0]
	require.Regexp(t, `^arn:aws:states:us-east-1:000000000000:mapRun:mapper/items:[0-9a-f-]{36}$`, *run.MapRunArn)
	require.Equal(t, sm+"/items", *run.StateMachineArn)
	require.Equal(t, x, *run.ExecutionArn)

	mr, err := e.c.DescribeMapRun(e.ctx, &sfn.DescribeMapRunInput{MapRunArn: run.MapRunArn})
	require.NoError(t, err)
	require.Equal(t, sfntypes.MapRunStatusSucceeded, mr.Status)
	require.Equal(t, int64(4), mr.ItemCounts.Total)
	require.Equal(t, int64(3), mr.ItemCounts.Succeeded)
	require.Equal(t, int64(1), mr.ItemCounts.Failed)
	require.Equal(t, int32(5), mr.MaxConcurrency)
	require.NotNil(t, mr.StopDate)

	_, err = e.c.UpdateMapRun(e.ctx, &sfn.UpdateMapRunInput{MapRunArn: run.MapRunArn, MaxConcurrency: aws.Int32(9)})
	require.NoError(t, err)
	_, err = e.c.UpdateMapRun(e.ctx, &sfn.UpdateMapRunInput{MapRunArn: run.MapRunArn})
	requireSFNError(t, err, "ValidationException", "")
	_, err = e.c.DescribeMapRun(e.ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(*run.MapRunArn + "0")})
	requireSFNError(t, err, "ResourceNotFound", "")
	_, err = e.c.DescribeMapRun(e.ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(x)})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'")

	// Map runs are durable.
	e.srv.Stop()
	e2 := setupSFN(t, fogbanktest.WithDataDir(dir))
	mr, err = e2.c.DescribeMapRun(e2.ctx, &sfn.DescribeMapRunInput{MapRunArn: run.MapRunArn})
	require.NoError(t, err)
	require.Equal(t, int32(9), mr.MaxConcurrency)
	require.Equal(t, int64(3), mr.ItemCounts.Succeeded)
}
