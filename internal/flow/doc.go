// Package flow is the AWS Step Functions domain service: state machines
// (with versions, aliases and tags), activities, and their executions,
// durable through internal/store.
//
// # Executions
//
// A STANDARD execution is event-sourced: the engine hands its new history
// events to a checkpoint before every side effect (a task invocation, a
// timer wait) and at its end, and the service writes them, with the
// execution's record, in one store Apply. On Start every RUNNING execution
// is resumed from its stored history in its own goroutine (engine Resume);
// NewID and Rand are seeded from the execution ARN so the replay matches.
// A task that was in flight at a crash runs again (at-least-once, as AWS
// documents for infrastructure failures), with TaskRequest.Resumed set so
// a callback task whose request went out only waits for its token.
//
// An EXPRESS execution lives in memory only: StartExecution runs it in the
// background (at-least-once), StartSyncExecution runs it in the request
// (at-most-once); its history is not kept, so DescribeExecution and
// GetExecutionHistory reject its ARN as AWS does.
//
// # Callbacks
//
// A callback task (.waitForTaskToken) registers its token durably (the
// Callbacks interface). SendTaskSuccess/Failure commit the outcome to the
// store before they answer and then hand it to the waiting execution; an
// outcome that arrives while its execution is being resumed is found by the
// resumed wait.
//
// # Tasks
//
// Config.Tasks makes the engine.Tasks of one execution (the integration
// package supplies it); the context of every Invoke carries ExecutionInfo
// (ExecutionFrom). Without it every Task fails as an unsupported resource.
//
// # Time
//
// Wait states, Retry intervals and task timeouts wait on an
// internal/scheduler.Scheduler whose time scale (Config.TimeScale) makes
// them shorter in tests; the recorded timestamps follow the scaled clock.
package flow
