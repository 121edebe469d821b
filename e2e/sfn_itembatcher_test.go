package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

const batchedMap = `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.orders",
  "ItemSelector":{"id.$":"$$.Map.Item.Value.id"},
  "ItemBatcher":{"MaxItemsPerBatchPath":"$.size","BatchInput":{"customer.$":"$.customer"}},
  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
    "StartAt":"Echo","States":{"Echo":{"Type":"Pass","End":true}}},
  "End":true}}}`

func TestSFNItemBatcher(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("batched", batchedMap, "")

	x := e.start(sm, "ok", `{"customer":"c1","size":2,"orders":[{"id":1,"n":"a"},{"id":2},{"id":3},{"id":4},{"id":5}]}`)
	d := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
	require.JSONEq(t, `[
	  {"BatchInput":{"customer":"c1"},"Items":[{"id":1},{"id":2}]},
	  {"BatchInput":{"customer":"c1"},"Items":[{"id":3},{"id":4}]},
	  {"BatchInput":{"customer":"c1"},"Items":[{"id":5}]}]`, *d.Output)

	x = e.start(sm, "zero", `{"customer":"c1","size":0,"orders":[{"id":1}]}`)
	d = e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusFailed, d.Status)
	require.Equal(t, "States.Runtime", *d.Error)
	require.Contains(t, *d.Cause, `The MaxItemsPerBatchPath field refers to value "0" which is not a positive integer: $.size`)

	_, err := e.c.CreateStateMachine(e.ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("inline"), RoleArn: aws.String(sfnRole), Definition: aws.String(`{"StartAt":"M","States":{"M":{"Type":"Map",
	  "ItemBatcher":{"MaxItemsPerBatch":2},
	  "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`),
	})
	requireSFNError(t, err, "InvalidDefinition",
		"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'ItemBatcher' is only supported when the ProcessorConfig Mode is DISTRIBUTED at /States/M/ItemBatcher'")
}
