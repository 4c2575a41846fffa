using Remediator.Aws.Transport;

namespace Remediator.Aws.EventBridge;

/// <summary>The EventBridge operations <see cref="EventBridgeClient"/> calls, each with the IAM action it needs.</summary>
public static class EventBridgeOperations
{
    public const string TargetPrefix = "AWSEvents";

    public static readonly AwsOperation DescribeEventBus = Op("DescribeEventBus");
    public static readonly AwsOperation CreateEventBus = Op("CreateEventBus");
    public static readonly AwsOperation PutPermission = Op("PutPermission");
    public static readonly AwsOperation RemovePermission = Op("RemovePermission");
    public static readonly AwsOperation TagResource = Op("TagResource");
    public static readonly AwsOperation ListTagsForResource = Op("ListTagsForResource");
    public static readonly AwsOperation UntagResource = Op("UntagResource");
    public static readonly AwsOperation PutRule = Op("PutRule");
    public static readonly AwsOperation PutTargets = Op("PutTargets");

    public static readonly IReadOnlyList<AwsOperation> All =
        [DescribeEventBus, CreateEventBus, PutPermission, RemovePermission, TagResource, ListTagsForResource, UntagResource, PutRule, PutTargets];

    private static AwsOperation Op(string name) => AwsOperation.Rpc("events", name);
}
