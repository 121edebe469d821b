// Package engine interprets Amazon States Language state machines
// deterministically and records AWS's execution history.
//
// # Sections
//
// Determinism: an Execution takes every source of non-determinism from
// its Config — the Clock, the Timers that Wait states and Retry intervals
// wait on, NewID (task tokens, Map Run ids, $uuid()), Rand (jitter,
// $random(), States.MathRandom) and Tasks (Task-state resources). Given
// the same Config answers, a run emits the same events, so a store can
// persist the events and rebuild an execution by feeding the recorded
// answers back.
//
// History: Execution.Run returns the Result (status, output, error, cause)
// and the events, each with AWS's type names, ids, previousEventId and a
// details struct whose JSON field names are AWS's
// (stateEnteredEventDetails, taskScheduledEventDetails,
// mapIterationStartedEventDetails, evaluationFailedEventDetails, ...).
//
// Data flow: JSONPath states apply InputPath, Parameters, ResultSelector,
// ResultPath and OutputPath through internal/flow/path and
// internal/flow/intrinsic; JSONata states evaluate Arguments, Output,
// Assign, Items, Condition and "{% %}" fields through
// internal/flow/jsonata with $states bound and AWS's extra functions
// ($partition, $range, $hash, $random, $uuid, $parse).
//
// Replay: Execution.Resume takes the events an earlier run recorded (a
// crash, a restart) and replays them: timestamps, task results and timer
// firings come from the record, so no Task runs twice, and the run then
// continues live. NewID and Rand must be seeded per execution for the
// replayed part to match.
//
// TestState: TestState evaluates one state (or a state of a machine) with
// an optional mock, stateConfiguration (retrier count, Map failure count,
// ItemReader data) and a given context object, returning the status
// (SUCCEEDED, FAILED, CAUGHT_ERROR, RETRIABLE), next state and the
// inspectionData of the DEBUG and TRACE levels.
//
// Variables: Assign writes to the current scope after the state's own
// evaluation; Map iterations and Parallel branches read the outer scopes
// and never write back.
//
// Errors: failures carry an AWS error name and cause; Retry (with
// IntervalSeconds × BackoffRate^n, MaxDelaySeconds and FULL jitter) and
// Catch apply to Task, Parallel and Map. States.ALL does not match
// States.Runtime or States.DataLimitExceeded, which end the execution.
//
// Durability: Config.Checkpoint receives the new events before every side
// effect (a task invocation, a timer wait) and at the end, so a store can
// make them durable first; a failed checkpoint or an ended context halts
// the run (Result.Interrupted) without recording more. A resumed task is
// told so (TaskRequest.Resumed) and whether its TaskSubmitted was
// recorded (TaskRequest.Submitted); TaskRequest.Submit records one.
//
// Timeouts: a Task's TimeoutSeconds ends its invocation through the
// Timers with States.Timeout (a TaskTimedOut, LambdaFunctionTimedOut or
// ActivityTimedOut event); HeartbeatSeconds is passed to the Tasks, which
// fail with States.Timeout, as AWS records it (Retry and Catch also match
// it as States.HeartbeatTimeout). .sync, .sync:2 and .waitForTaskToken
// resources and activities get a task token; activities get Activity*
// events.
//
// Limits of this version: Map iterations and Parallel branches run one
// after another; Distributed Map runs its items (or its ItemBatcher
// batches) inline and records only the MapRun events; ItemReader (outside
// TestState) and ResultWriter, which need the S3 subset, are not
// interpreted. TestState checks mocks against the services' output shapes
// (internal/flow/mockshape).
package engine
