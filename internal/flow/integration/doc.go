// Package integration runs Step Functions Task states against fogbank's own
// services: it implements engine.Tasks by calling the domain services in
// process (function, queue, topic, bus and the flow service's nested
// executions and task tokens), never over HTTP to ourselves.
//
// # Resources
//
// Optimized integrations, with AWS's output shapes (the SDK for Java's
// field names, SdkHttpMetadata and SdkResponseMetadata included) and error
// names ("Lambda.ResourceNotFoundException", "SQS.AmazonSQSException",
// "SNS.InvalidParameterException", "EventBridge.FailedEntry",
// States.TaskFailed for a failed child execution):
//
//   - arn:aws:states:::lambda:invoke and the bare function ARN (the legacy
//     form, whose result is the function's payload itself)
//   - arn:aws:states:::sqs:sendMessage, sns:publish, events:putEvents
//   - arn:aws:states:::states:startExecution, .sync (Output as text) and
//     .sync:2 (Output as JSON)
//   - arn:aws:states:::http:invoke through an EventBridge connection
//   - arn:aws:states:::aws-sdk:<service>:<action>: sqs (sendMessage,
//     receiveMessage, deleteMessage, getQueueUrl, getQueueAttributes,
//     createQueue, deleteQueue, listQueues), sns (publish, createTopic,
//     deleteTopic, listTopics, subscribe), eventbridge (putEvents), lambda
//     (invoke, getFunction, listFunctions) and sfn (startExecution,
//     stopExecution, describeExecution, sendTaskSuccess/Failure/Heartbeat),
//     with the model's member names and errors "<Service>.<Exception>"
//
// Every integration but http:invoke also takes the .waitForTaskToken suffix:
// the request goes out once (a task resumed after a crash whose request was
// already submitted only waits), the service's answer is recorded in a
// TaskSubmitted event (engine.TaskRequest.Submit), then the task waits on
// flow.Callbacks for SendTaskSuccess/Failure. A .sync task records its
// StartExecution answer the same way and ends with its child, or with a
// SendTaskSuccess/Failure for its token ($$.Task.Token), whichever comes
// first.
//
// # Executions
//
// Tasks.For binds the Tasks to one execution: the caller's account and
// region, the execution ARN (ParentExecutionArn of nested executions, a
// resource of the events it puts) and the Step Functions Local mock test
// case the execution was started with (see MockConfig).
//
// # Wiring
//
// internal/app builds one Tasks over the services and hands ForExecution to
// flow.Config.Tasks; BusTarget(flowService) given to
// bus.Service.SetStateMachines makes state machines EventBridge targets;
// LoadMockConfig(path) fills Config.Mocks from SFN_MOCK_CONFIG.
//
// # Not emulated
//
// Services fogbank does not have (dynamodb, s3, ecs, glue, ...) fail with
// States.Runtime naming the resource: fogbank does not pretend to call them.
package integration
