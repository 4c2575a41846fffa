using Remediator.Core.Ports;

namespace Remediator.Core.Sweep;

/// <summary>
/// One thing the sweep found, as described by the service, reduced to what the concern's detector judges. Each kind
/// becomes the CloudTrail event that would have put it in force (<see cref="SweepEvents"/>), so the detectors, the
/// exemptions, the planner and the executor are the very ones the event path uses.
/// </summary>
public abstract record DescribedResource
{
    /// <summary>The resource as the sweep names it (an ARN where there is one): progress, failures, keys.</summary>
    public abstract string Resource { get; }

    /// <summary>The concern whose rules judge it.</summary>
    public abstract string Concern { get; }
}

/// <summary>An inline policy of a role, user or group (List*Policies + Get*Policy).</summary>
public sealed record DescribedInlinePolicy(IamPrincipalKind Kind, string PrincipalName, string PrincipalArn, string PolicyName, string Document) : DescribedResource
{
    public override string Resource => PrincipalArn + "#inline/" + PolicyName;

    public override string Concern => Concerns.IamBroadPermissions;
}

/// <summary>A managed policy attached to a role, user or group (ListAttached*Policies).</summary>
public sealed record DescribedAttachment(IamPrincipalKind Kind, string PrincipalName, string PrincipalArn, string PolicyArn) : DescribedResource
{
    public override string Resource => PrincipalArn + "#attached/" + PolicyArn;

    public override string Concern => Concerns.IamBroadPermissions;
}

/// <summary>A role's trust policy (ListRoles' AssumeRolePolicyDocument).</summary>
public sealed record DescribedTrustPolicy(string RoleName, string RoleArn, string Document) : DescribedResource
{
    public override string Resource => RoleArn + "#trust";

    public override string Concern => Concerns.IamBroadPermissions;
}

/// <summary>A customer-managed policy and its default version (ListPolicies Scope=Local).</summary>
public sealed record DescribedManagedPolicy(string PolicyArn, string DefaultVersionId) : DescribedResource
{
    public override string Resource => PolicyArn;

    public override string Concern => Concerns.IamBroadPermissions;
}

/// <summary>An event bus (ListEventBuses): its policy is read by the detector through the event-bus port.</summary>
public sealed record DescribedEventBus(string Name, string Arn, string? Policy) : DescribedResource
{
    public override string Resource => Arn;

    public override string Concern => Concerns.PublicEventBus;
}

/// <summary>A Lambda function's configuration (ListFunctions).</summary>
public sealed record DescribedFunction(string FunctionName, string FunctionArn, int TimeoutSeconds) : DescribedResource
{
    public override string Resource => FunctionArn;

    public override string Concern => Concerns.MissingTimeout;
}

/// <summary>A REST API method's integration (GetRestApis, GetResources, GetIntegration).</summary>
public sealed record DescribedRestIntegration(string RestApiId, string ResourceId, string HttpMethod, int? TimeoutInMillis) : DescribedResource
{
    public override string Resource => $"/restapis/{RestApiId}/resources/{ResourceId}/methods/{HttpMethod}/integration";

    public override string Concern => Concerns.MissingTimeout;
}

/// <summary>An HTTP API integration (GetApis, GetIntegrations).</summary>
public sealed record DescribedHttpIntegration(string ApiId, string IntegrationId, int? TimeoutInMillis) : DescribedResource
{
    public override string Resource => $"/apis/{ApiId}/integrations/{IntegrationId}";

    public override string Concern => Concerns.MissingTimeout;
}

/// <summary>A DynamoDB table and its SSEDescription (ListTables, DescribeTable).</summary>
public sealed record DescribedTable(string TableName, string TableArn, TableEncryptionState Encryption) : DescribedResource
{
    public override string Resource => TableArn;

    public override string Concern => Concerns.UnencryptedTable;
}

/// <summary>Something the inventory listed but could not describe (throttled past retries, denied, gone).</summary>
public sealed record DescribeFailure(string FailedResource, string FailedConcern, string Error) : DescribedResource
{
    /// <summary>Listed, but gone or empty by the time it was described (a method without integration, a deleted table): nothing to judge, nothing failed.</summary>
    public bool IsAbsent { get; init; }

    public override string Resource => FailedResource;

    public override string Concern => FailedConcern;
}
