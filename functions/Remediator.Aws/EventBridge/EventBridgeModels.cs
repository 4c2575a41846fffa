namespace Remediator.Aws.EventBridge;

/// <summary>An event bus; <see cref="Policy"/> is its resource policy JSON, null when it has none.</summary>
public sealed record EventBus(string Name, string Arn, string? Policy);

/// <summary>
/// PutPermission's simple form: one statement allowing <see cref="Principal"/> (an account id or <c>*</c>) to put
/// events. The only condition the API takes is an organization condition.
/// </summary>
public sealed record EventBusPermission(string StatementId, string Principal, string Action = "events:PutEvents", EventBusCondition? Condition = null);

/// <summary>PutPermission's condition, e.g. <c>StringEquals aws:PrincipalOrgID o-abc</c>.</summary>
public sealed record EventBusCondition(string Type, string Key, string Value);

/// <summary>A rule target (PutTargets).</summary>
public sealed record EventTarget(string Id, string Arn);
