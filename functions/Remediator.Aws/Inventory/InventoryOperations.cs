using Remediator.Aws.Transport;

namespace Remediator.Aws.Inventory;

/// <summary>
/// The List*/Describe* operations the sweep calls beyond those the guards already make, each with the IAM action it
/// needs (the sweep function's role grants exactly these; shapes checked against the botocore models).
/// </summary>
public static class InventoryOperations
{
    public static readonly AwsOperation ListRoles = Iam("ListRoles");
    public static readonly AwsOperation ListUsers = Iam("ListUsers");
    public static readonly AwsOperation ListGroups = Iam("ListGroups");
    public static readonly AwsOperation ListPolicies = Iam("ListPolicies");
    public static readonly AwsOperation ListUserPolicies = Iam("ListUserPolicies");
    public static readonly AwsOperation ListGroupPolicies = Iam("ListGroupPolicies");

    public static readonly AwsOperation ListEventBuses = AwsOperation.Rpc("events", "ListEventBuses");

    public static readonly AwsOperation ListFunctions = new("ListFunctions", "lambda:ListFunctions", HttpMethod.Get, "/2015-03-31/functions");

    public static readonly AwsOperation GetRestApis = new("GetRestApis", "apigateway:GET", HttpMethod.Get, "/restapis");
    public static readonly AwsOperation GetResources = new("GetResources", "apigateway:GET", HttpMethod.Get, "/restapis/{restapi_id}/resources");
    public static readonly AwsOperation GetApis = new("GetApis", "apigateway:GET", HttpMethod.Get, "/v2/apis");
    public static readonly AwsOperation GetIntegrations = new("GetIntegrations", "apigateway:GET", HttpMethod.Get, "/v2/apis/{apiId}/integrations");

    /// <summary>The AWSSDK calls (DynamoDB, STS), named as their IAM actions.</summary>
    public static readonly IReadOnlyList<string> SdkActions = ["dynamodb:ListTables", "dynamodb:DescribeTable", "sts:GetCallerIdentity"];

    public static readonly IReadOnlyList<AwsOperation> All =
        [ListRoles, ListUsers, ListGroups, ListPolicies, ListUserPolicies, ListGroupPolicies, ListEventBuses, ListFunctions, GetRestApis, GetResources, GetApis, GetIntegrations];

    private static AwsOperation Iam(string name) => AwsOperation.Rpc("iam", name);
}
